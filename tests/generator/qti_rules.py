"""What IMS QTI 1.2 and IMS Content Packaging 1.1 require of the elements examgen writes.

IMS publishes the QTI 1.2 ASI schema (ims_qtiasiv1p2p1.xsd) and the DTD only on its own site: no
registry package ships them, and the suite runs offline. So the content models of the DTD
(QTI ASI 1.2 Information Model, "XML Binding") for the elements we write are spelled here as
regular expressions over each element's child tags, with the attributes the DTD marks #REQUIRED
and the enumerated values it allows, and every element of the packages is checked against them
with lxml. Elements not listed here must not occur.
"""

from __future__ import annotations

import re

from lxml import etree

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"

# element: (children as a regex over "tag " words, required attributes, {attribute: allowed values})
QTI_MODELS: dict[str, tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "questestinterop": (r"(qticomment )?(assessment |(section |item )+)", (), {}),
    "assessment": (
        r"(qticomment )?(duration )?(qtimetadata )*(objectives )*(assessmentcontrol )*(rubric )*"
        r"(presentation_material )?(outcomes_processing )*(assessproc_extension )?(assessfeedback )*"
        r"(selection_ordering )?(reference )?((sectionref |section ))+",
        ("ident", "title"),
        {},
    ),
    "section": (
        r"(qticomment )?(duration )?(qtimetadata )*(objectives )*(sectioncontrol )*(sectionprecondition )*"
        r"(sectionpostcondition )*(rubric )*(presentation_material )?(outcomes_processing )*"
        r"(sectionproc_extension )?(sectionfeedback )*(selection_ordering )?(reference )?"
        r"(itemref |item |sectionref |section )*",
        ("ident",),
        {},
    ),
    "item": (
        r"(qticomment )?(duration )?(itemmetadata )?(objectives )*(itemcontrol )*(itemprecondition )*"
        r"(itempostcondition )*((itemrubric |rubric ))*(presentation )?(resprocessing )*"
        r"(itemproc_extension )?(itemfeedback )*(reference )?",
        ("ident",),
        {},
    ),
    "itemmetadata": (r"(qtimetadata )*", (), {}),
    "qtimetadata": (r"(vocabulary )?(qtimetadatafield )+", (), {}),
    "qtimetadatafield": (r"fieldlabel fieldentry ", (), {}),
    "fieldlabel": (r"", (), {}),
    "fieldentry": (r"", (), {}),
    "presentation": (
        r"(qticomment )?(flow |(material |response_lid |response_xy |response_str |response_num |response_grp "
        r"|response_extension )+)",
        (),
        {},
    ),
    "material": (
        r"(qticomment )?((mattext |matemtext |matimage |mataudio |matvideo |matapplet |matapplication "
        r"|matref |matbreak |mat_extension ))+(altmaterial )*",
        (),
        {},
    ),
    "mattext": (r"", (), {}),
    "response_lid": (
        r"(material )?(render_choice |render_hotspot |render_slider |render_fib |render_extension )(material )?",
        ("ident",),
        {"rcardinality": ("Single", "Multiple", "Ordered"), "rtiming": ("Yes", "No")},
    ),
    "response_str": (
        r"(material )?(render_choice |render_hotspot |render_slider |render_fib |render_extension )(material )?",
        ("ident",),
        {"rcardinality": ("Single", "Multiple", "Ordered")},
    ),
    "render_choice": (
        r"((material |material_ref |response_label |flow_label ))*(response_na )?",
        (),
        {"shuffle": ("Yes", "No")},
    ),
    "render_fib": (
        r"((material |material_ref |response_label |flow_label ))*(response_na )?",
        (),
        {"fibtype": ("String", "Integer", "Decimal", "Scientific")},
    ),
    "response_label": (r"((qticomment |material |material_ref |flow_mat ))*", ("ident",), {"rshuffle": ("Yes", "No")}),
    "resprocessing": (r"(qticomment )?outcomes ((respcondition |itemproc_extension ))+", (), {}),
    "outcomes": (r"(qticomment )?((decvar )(interpretvar )*)+", (), {}),
    "decvar": (r"", (), {"vartype": ("Integer", "String", "Decimal", "Scientific", "Boolean", "Enumerated", "Set")}),
    "respcondition": (
        r"(qticomment )?conditionvar (setvar )*(displayfeedback )*(respcond_extension )?",
        (),
        {"continue": ("Yes", "No")},
    ),
    "conditionvar": (
        r"((not |and |or |unanswered |other |varequal |varlt |varlte |vargt |vargte |varsubset "
        r"|varinside |varsubstring |durequal |durlt |durlte |durgt |durgte |var_extension ))+",
        (),
        {},
    ),
    "varequal": (r"", ("respident",), {"case": ("Yes", "No")}),
    "setvar": (r"", (), {"action": ("Set", "Add", "Subtract", "Multiply", "Divide")}),
}

CP_MODELS: dict[str, tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "manifest": (r"(metadata )?organizations resources (manifest )*", ("identifier",), {}),
    "metadata": (r"(schema )?(schemaversion )?", (), {}),
    "schema": (r"", (), {}),
    "schemaversion": (r"", (), {}),
    "organizations": (r"(organization )*", (), {}),
    "resources": (r"(resource )*", (), {}),
    "resource": (r"(metadata )?(file )*(dependency )*", ("identifier", "type"), {}),
    "file": (r"(metadata )?", ("href",), {}),
}


def problems(
    root: etree._Element, namespace: str, models: dict[str, tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]]
) -> list[str]:
    """Every way the tree breaks the models: an empty list for a conforming document."""
    found = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        qname = etree.QName(node)
        where = f"{qname.localname} (line {node.sourceline})"
        if qname.namespace != namespace:
            found.append(f"{where}: namespace {qname.namespace!r}, want {namespace!r}")
            continue
        if qname.localname not in models:
            found.append(f"{where}: not an element this checker knows")
            continue
        pattern, required, enums = models[qname.localname]
        children = "".join(etree.QName(child).localname + " " for child in node if isinstance(child.tag, str))
        if not re.fullmatch(pattern, children):
            found.append(f"{where}: children {children!r} do not match {pattern!r}")
        found += [f"{where}: no {name}" for name in required if not node.get(name)]
        found += [
            f"{where}: {name}={node.get(name)!r} not in {allowed}"
            for name, allowed in enums.items()
            if node.get(name) is not None and node.get(name) not in allowed
        ]
    return found
