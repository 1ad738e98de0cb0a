"""The inspection layer of a field package and the form an inspector fills in.

``add_inspection_layer(gpkg_path, asset_layers)`` creates the ``inspections`` point layer
(the schema of the server's ``inspections`` table) and the lookup table of defect types per
inspected asset layer in the package's GeoPackage. ``configure_inspection_form(layer,
asset_layers, project)`` sets up QGIS's attribute form on it: the relation to the inspected
asset (so an asset's form lists its inspections), the condition rating 1-5, the defect
types of the asset's kind (multi-select), notes, one photo (stored under DCIM/, relative to
the project), inspector, time and inspection UUID filled in automatically, and the required
fields enforced with messages a person understands.

Everything here is qgis.core: the form configuration is data the project stores, read by
QGIS desktop and QField alike. Expressions use functions of QGIS 3.22 only.
"""

import json
import logging
import os
import re

from osgeo import ogr, osr
from qgis.core import (
    QgsDefaultValue,
    QgsEditorWidgetSetup,
    QgsExpression,
    QgsExpressionContextUtils,
    QgsFieldConstraints,
    QgsProject,
    QgsProviderRegistry,
    QgsRelation,
    QgsVectorLayer,
)

try:
    from qgis.core import QgsRelationContext
except ImportError:  # QGIS before 3.12
    QgsRelationContext = None

from ..i18n import tr
from . import journal, manifest

LOG = logging.getLogger(__name__)

INSPECTION_TABLE = "inspections"
KEY_COLUMN = "inspection_uuid"
GEOMETRY_COLUMN = "geom"
DEFECT_TYPES_TABLE = "inspection_defect_types"
PHOTO_FOLDER = "DCIM"

# The schema of the server's inspections table (manifest field types).
FIELDS = (
    ("inspection_uuid", "str"), ("asset_layer", "str"), ("asset_key", "str"),
    ("inspected_at", "str"),  # ISO 8601 UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    ("inspector", "str"), ("condition", "int"),
    ("defects", "str"),  # defect codes of the form's multi-select, e.g. '{mast_tilted,dirt}'
    ("notes", "str"), ("photos", "str"),  # paths relative to the package, joined by ';'
    ("status", "str"),  # 'open' (follow-up needed) or 'done'
)
STATUS_OPEN, STATUS_DONE = "open", "done"
CONDITION_NEEDS_DEFECTS = 4  # from this rating on the inspector must name a defect

KIND_STREET_LIGHT, KIND_DRAIN, KIND_TREE, KIND_OTHER = "street_light", "drain", "tree", "other"

# Stable keys of the city's asset layers (the same as the local backend's).
KNOWN_KEYS = ("light_uuid", "drain_uuid", "tree_uuid", "station_id", "building_id", "drain_id", "tree_id")

# Defaults. The inspection's UUID in the journal's form (lower case, no braces).
UUID_EXPRESSION = "lower(regexp_replace(uuid(), '[{}]', ''))"
# The inspector: the name set in the profile (global variable, also editable in QField's
# settings), the QFieldCloud user, else the account's full name (QGIS on Android only knows
# 'Not available') or login. Where none fits, the required field makes the inspector type it.
INSPECTOR_VARIABLE = "hernetwin_inspector"
INSPECTOR_EXPRESSION = (
    "coalesce(nullif(trim(@{}), ''), nullif(trim(@cloud_username), ''), "
    "nullif(nullif(trim(@user_full_name), ''), 'Not available'), nullif(trim(@user_account_name), ''))".format(
        INSPECTOR_VARIABLE)
)
# now() in UTC. QGIS 3.22 has no UTC conversion: the local wall clock read back as if it were
# UTC ('...Z') is later than now() by the UTC offset, which is then taken off.
UTC_NOW_EXPRESSION = (
    "format_date(datetime_from_epoch(2 * epoch(now()) - epoch(to_datetime("
    "format_date(now(), 'yyyy-MM-ddTHH:mm:ss.zzz') || 'Z'))), 'yyyy-MM-ddTHH:mm:ss') || 'Z'"
)

# The file name of a photo taken with QField's camera: the asset, the time; only safe characters.
PHOTO_NAME_EXPRESSION = (
    "'{}/' || regexp_replace(coalesce(\"asset_key\", 'inspection'), '[^A-Za-z0-9_-]', '_') || '_' || "
    "format_date(now(), 'yyyyMMdd_HHmmsszzz') || '.jpg'".format(PHOTO_FOLDER)
)


class InspectionError(ValueError):
    """The inspection layer or form cannot be set up; the message says why, for the user."""


def condition_labels():
    """[(rating, label)] of the condition rating, 1 best."""
    return [
        (1, tr("1 – very good")),
        (2, tr("2 – good")),
        (3, tr("3 – fair")),
        (4, tr("4 – poor")),
        (5, tr("5 – unusable")),
    ]


def status_labels():
    return [(STATUS_DONE, tr("done")), (STATUS_OPEN, tr("open: follow-up needed"))]


def defect_types(kind):
    """[(code, label)] of the defects an inspector can record on an asset of ``kind``; the codes
    are stored, the labels shown. Every kind ends with the general defects."""
    per_kind = {
        KIND_STREET_LIGHT: [
            ("lamp_defect", tr("Lamp defective")),
            ("lamp_day_burner", tr("Lamp burns by day")),
            ("mast_damaged", tr("Mast damaged")),
            ("mast_tilted", tr("Mast leaning")),
            ("stability_doubtful", tr("Stability doubtful")),
            ("door_open", tr("Mast door open or missing")),
            ("cable_exposed", tr("Cable exposed")),
            ("cover_damaged", tr("Lamp cover damaged")),
            ("number_missing", tr("Light point number missing")),
            ("vegetation", tr("Overgrown by plants")),
        ],
        KIND_DRAIN: [
            ("grate_missing", tr("Grate missing")),
            ("grate_damaged", tr("Grate damaged or loose")),
            ("blocked", tr("Blocked")),
            ("silted", tr("Silted up")),
            ("frame_sunk", tr("Frame sunk or raised")),
            ("roots", tr("Roots grown in")),
            ("odour", tr("Smell")),
        ],
        KIND_TREE: [
            ("deadwood", tr("Deadwood in the crown")),
            ("broken_branch", tr("Broken or hanging branch")),
            ("trunk_damage", tr("Trunk damaged")),
            ("fungus", tr("Fungi on trunk or roots")),
            ("leaning", tr("Tree leaning")),
            ("root_lifting", tr("Roots lifting the pavement")),
            ("clearance", tr("Clearance over road or path not kept")),
            ("oak_processionary", tr("Oak processionary moth")),
        ],
    }
    general = [
        ("dirt", tr("Dirty")),
        ("graffiti", tr("Graffiti or vandalism")),
        ("other", tr("Other (see notes)")),
    ]
    return per_kind.get(kind, []) + general


def asset_kind(table_name, field_names=()):
    """Which defect list fits an asset layer: street light, drain, tree or other."""
    words = " ".join([table_name or ""] + list(field_names)).lower()
    if re.search(r"light|leucht|lampe|laterne", words):
        return KIND_STREET_LIGHT
    if re.search(r"drain|gull(y|ies)|kanal|schacht|sinkkasten|ablauf|sewer", words):
        return KIND_DRAIN
    if re.search(r"tree|baum|b\u00e4ume", words):
        return KIND_TREE
    return KIND_OTHER


def _asset_table_and_key(item):
    """(table name, key column, title) of an asset layer given as a PackageLayer, a
    (table, key) pair or any object with table_name and key_column."""
    if isinstance(item, (tuple, list)):
        table, key = item[0], item[1]
        title = item[2] if len(item) > 2 else table
    else:
        table, key = getattr(item, "table_name", ""), getattr(item, "key_column", "")
        title = getattr(item, "title", "") or table
    if not table or not key:
        raise InspectionError(tr("An asset layer to inspect needs a table name and a key column."))
    return table, key, title


def add_inspection_layer(gpkg_path, asset_layers):
    """Create the ``inspections`` layer and the defect types of ``asset_layers`` in the package.

    ``asset_layers``: PackageLayers (or (table, key column[, title]) tuples) of the layers
    whose features are inspected. Returns the inspection layer's PackageLayer (role
    'inspection', key ``inspection_uuid``); the caller fills in its source and writes the
    manifest. Raises InspectionError where the file is no GeoPackage or has the layer already.
    """
    assets = [_asset_table_and_key(item) for item in asset_layers]
    if not os.path.isfile(str(gpkg_path)):
        raise InspectionError(tr("The package file {path} does not exist.").format(path=gpkg_path))
    dataset = ogr.Open(str(gpkg_path), 1)
    if dataset is None or dataset.GetDriver().GetName() != "GPKG":
        raise InspectionError(tr("{path} is not a GeoPackage.").format(path=gpkg_path))
    try:
        for name in (INSPECTION_TABLE, DEFECT_TYPES_TABLE):
            if dataset.GetLayerByName(name) is not None:
                raise InspectionError(tr("The package already has a layer {name}.").format(name=name))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(25832)
        layer = dataset.CreateLayer(
            INSPECTION_TABLE, srs, ogr.wkbPoint,
            ["FID=fid", "GEOMETRY_NAME={}".format(GEOMETRY_COLUMN), "SPATIAL_INDEX=YES",
             "IDENTIFIER={}".format(tr("Inspections"))],
        )
        for name, kind in FIELDS:
            layer.CreateField(ogr.FieldDefn(name, ogr.OFTInteger if kind == "int" else ogr.OFTString))
        _write_defect_types(dataset, assets)
    finally:
        dataset = None  # closes the file
    return manifest.PackageLayer(
        table_name=INSPECTION_TABLE, role=manifest.ROLE_INSPECTION, key_column=KEY_COLUMN,
        geometry_type="Point", crs=manifest.PACKAGE_CRS, fields=FIELDS, writable=True,
        title=tr("Inspections"),
    )


def _write_defect_types(dataset, assets):
    """One row per (asset layer, defect); the rows with an empty asset_layer serve inspections
    not tied to an asset."""
    table = dataset.CreateLayer(DEFECT_TYPES_TABLE, None, ogr.wkbNone, ["FID=fid"])
    for name, kind in (("asset_layer", ogr.OFTString), ("code", ogr.OFTString), ("label", ogr.OFTString),
                       ("sort_order", ogr.OFTInteger)):
        table.CreateField(ogr.FieldDefn(name, kind))
    definition = table.GetLayerDefn()
    table.StartTransaction()
    for asset_table, kind in [(table_name, asset_kind(table_name, (key,))) for table_name, key, _ in assets] + [
        ("", KIND_OTHER)
    ]:
        for order, (code, label) in enumerate(defect_types(kind)):
            feature = ogr.Feature(definition)
            feature.SetField("asset_layer", asset_table)
            feature.SetField("code", code)
            feature.SetField("label", label)
            feature.SetField("sort_order", order)
            table.CreateFeature(feature)
    table.CommitTransaction()


def defect_codes(value):
    """The defect codes of a stored ``defects`` value: the form's '{a,b}' (QGIS multi-select)
    or codes joined by ';' or ','; [] for NULL or empty."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return []
    text = str(value).strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return [code.strip().strip('"') for code in re.split(r"[;,]", text) if code.strip().strip('"')]


def set_inspector_name(name):
    """Remember the inspector's name in the QGIS profile; new inspections are signed with it."""
    QgsExpressionContextUtils.setGlobalVariable(INSPECTOR_VARIABLE, (name or "").strip())


# -- the form --------------------------------------------------------------------------------


def _layer_table(layer):
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    return parts.get("layerName") or parts.get("table") or parts.get("typename") or layer.name()


def _package_key_columns(layer):
    """{table: key column} from the manifest of the GeoPackage ``layer`` is read from, {} else."""
    path = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("path", "")
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return {}
    connection = journal.connect(path)
    try:
        package = manifest.read(connection)
    finally:
        connection.close()
    return {item.table_name: item.key_column for item in (package.layers if package else [])}


def _asset_link(item):
    """(layer, table, key column, title) of an asset layer given as a QgsVectorLayer or a
    (layer, key column) pair."""
    if isinstance(item, (tuple, list)):
        layer, key = item[0], item[1]
    else:
        layer, key = item, ""
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise InspectionError(tr("An asset layer to inspect is not a valid vector layer."))
    table = _layer_table(layer)
    names = layer.fields().names()
    key = key or _package_key_columns(layer).get(table, "") or next(
        (name for name in KNOWN_KEYS + tuple(n for n in names if n.endswith("_uuid")) if name in names), "")
    if not key or key not in names:
        raise InspectionError(
            tr("Layer {layer} has no stable key column, so its inspections could not be linked to it.").format(
                layer=layer.name())
        )
    return layer, table, key, layer.name()


def _ensure_in_project(project, layer, legend=True):
    if project.mapLayer(layer.id()) is None:
        project.addMapLayer(layer, legend)


def _defect_types_layer(inspections, project):
    """The package's defect types table as a layer of ``project`` (added once, outside the legend)."""
    path = QgsProviderRegistry.instance().decodeUri(inspections.providerType(), inspections.source()).get("path", "")
    source = "{}|layername={}".format(path, DEFECT_TYPES_TABLE)
    for layer in project.mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and _layer_table(layer) == DEFECT_TYPES_TABLE and \
                os.path.normpath(QgsProviderRegistry.instance().decodeUri(
                    layer.providerType(), layer.source()).get("path", "")) == os.path.normpath(path):
            return layer
    layer = QgsVectorLayer(source, tr("Defect types"), "ogr")
    if not layer.isValid():
        raise InspectionError(
            tr("The package {path} has no table of defect types: create the inspection layer with the plugin.").format(
                path=path or inspections.source())
        )
    project.addMapLayer(layer, False)
    return layer


def _require(layer, field_index, description, expression=None):
    """A hard constraint: not NULL, or ``expression`` where given, with ``description``."""
    if expression is None:
        layer.setFieldConstraint(field_index, QgsFieldConstraints.ConstraintNotNull,
                                 QgsFieldConstraints.ConstraintStrengthHard)
        # QGIS shows the expression's description for any failed constraint of the field.
        layer.setConstraintExpression(field_index, "\"{}\" IS NOT NULL".format(layer.fields()[field_index].name()),
                                      description)
    else:
        layer.setConstraintExpression(field_index, expression, description)
    layer.setFieldConstraint(field_index, QgsFieldConstraints.ConstraintExpression,
                             QgsFieldConstraints.ConstraintStrengthHard)


def _value_map(entries):
    return QgsEditorWidgetSetup("ValueMap", {"map": [{label: value} for value, label in entries]})


def configure_inspection_form(vector_layer, asset_layers, project=None):
    """Set up the attribute form of the inspection layer ``vector_layer`` (from a package made
    by add_inspection_layer) and its relations to ``asset_layers`` (QgsVectorLayers, or
    (layer, key column) pairs) in ``project`` (default: the current project).

    Returns the QgsRelations added (one per asset layer: the asset's form lists its inspections).
    """
    project = project or QgsProject.instance()
    if not isinstance(vector_layer, QgsVectorLayer) or not vector_layer.isValid():
        raise InspectionError(tr("The inspection layer is not a valid vector layer."))
    names = vector_layer.fields().names()
    missing = [name for name, _ in FIELDS if name not in names]
    if missing:
        raise InspectionError(tr("The inspection layer lacks the fields {fields}.").format(fields=", ".join(missing)))
    links = [_asset_link(item) for item in asset_layers]
    _ensure_in_project(project, vector_layer)
    for layer, *_ in links:
        _ensure_in_project(project, layer)
    defects_layer = _defect_types_layer(vector_layer, project)

    def index(name):
        return vector_layer.fields().indexOf(name)

    form = vector_layer.editFormConfig()
    aliases = {
        "inspection_uuid": tr("Inspection ID"), "asset_layer": tr("Asset layer"), "asset_key": tr("Asset"),
        "inspected_at": tr("Inspected at (UTC)"), "inspector": tr("Inspector"), "condition": tr("Condition"),
        "defects": tr("Defects"), "notes": tr("Notes"), "photos": tr("Photo"), "status": tr("Status"),
    }
    for name, alias in aliases.items():
        vector_layer.setFieldAlias(index(name), alias)
    if "fid" in names:
        vector_layer.setEditorWidgetSetup(index("fid"), QgsEditorWidgetSetup("Hidden", {}))

    # Filled in automatically, never typed: the key (read-only: the journal follows features by
    # it), the asset layer (derived from the asset key), the time.
    vector_layer.setDefaultValueDefinition(index("inspection_uuid"), QgsDefaultValue(UUID_EXPRESSION, False))
    vector_layer.setFieldConstraint(index("inspection_uuid"), QgsFieldConstraints.ConstraintUnique,
                                    QgsFieldConstraints.ConstraintStrengthHard)
    _require(vector_layer, index("inspection_uuid"),
             tr("Every inspection needs its ID; it is filled in automatically."))
    form.setReadOnly(index("inspection_uuid"), True)

    vector_layer.setEditorWidgetSetup(index("asset_layer"),
                                      _value_map([(table, title) for _, table, _, title in links]))
    nearest = _nearest_asset_expressions(links)
    vector_layer.setDefaultValueDefinition(index("asset_layer"), QgsDefaultValue(
        _asset_layer_expression(links, nearest), True))
    form.setReadOnly(index("asset_layer"), True)
    if nearest:
        vector_layer.setDefaultValueDefinition(index("asset_key"), QgsDefaultValue(
            "coalesce({})".format(", ".join(nearest + ["NULL"])), False))

    vector_layer.setDefaultValueDefinition(index("inspected_at"), QgsDefaultValue(UTC_NOW_EXPRESSION, False))
    _require(vector_layer, index("inspected_at"), tr("The time of the inspection is missing."))
    form.setReadOnly(index("inspected_at"), True)

    vector_layer.setDefaultValueDefinition(index("inspector"), QgsDefaultValue(INSPECTOR_EXPRESSION, False))
    _require(vector_layer, index("inspector"), tr("Please enter who inspected the asset."),
             "nullif(trim(\"inspector\"), '') IS NOT NULL")

    vector_layer.setEditorWidgetSetup(index("condition"), _value_map(condition_labels()))
    _require(vector_layer, index("condition"),
             tr("Please rate the condition: 1 (very good) to 5 (unusable)."),
             "\"condition\" IS NOT NULL AND \"condition\" >= 1 AND \"condition\" <= 5")

    vector_layer.setEditorWidgetSetup(index("defects"), QgsEditorWidgetSetup("ValueRelation", {
        "Layer": defects_layer.id(), "LayerName": defects_layer.name(), "LayerSource": defects_layer.source(),
        "LayerProviderName": defects_layer.providerType(),
        "Key": "code", "Value": "label", "AllowMulti": True, "AllowNull": True, "OrderByValue": False,
        "UseCompleter": False, "NofColumns": 1,
        # The defects of the inspected asset's kind; the general ones where no asset is linked.
        "FilterExpression": "\"asset_layer\" = coalesce(current_value('asset_layer'), '')",
    }))
    _require(vector_layer, index("defects"),
             tr("Condition 4 or 5: please name at least one defect."),
             "coalesce(\"condition\", 0) < {n} OR (\"defects\" IS NOT NULL AND "
             "trim(\"defects\") NOT IN ('', '{{}}'))".format(n=CONDITION_NEEDS_DEFECTS))

    vector_layer.setEditorWidgetSetup(index("notes"), QgsEditorWidgetSetup(
        "TextEdit", {"IsMultiline": True, "UseHtml": False}))
    vector_layer.setEditorWidgetSetup(index("photos"), QgsEditorWidgetSetup("ExternalResource", {
        "FileWidget": True, "FileWidgetButton": True, "UseLink": False, "FullUrl": False,
        "DocumentViewer": 1,  # an image
        "DocumentViewerHeight": 0, "DocumentViewerWidth": 0,
        "RelativeStorage": 1,  # relative to the project file: 'DCIM/...'
        "StorageMode": 0,  # a file
        "FileWidgetFilter": tr("Photos (*.jpg *.jpeg *.png *.heic *.tif)"),
        "PropertyCollection": {"name": None, "type": "collection", "properties": {
            "propertyRootPath": {"active": True, "type": 3,
                                 "expression": "@project_home || '/{}'".format(PHOTO_FOLDER)}}},
    }))

    # QField names camera photos by this expression (older QField: photo_naming), in DCIM/.
    naming = json.dumps({"photos": PHOTO_NAME_EXPRESSION})
    vector_layer.setCustomProperty("QFieldSync/attachment_naming", naming)
    vector_layer.setCustomProperty("QFieldSync/photo_naming", naming)

    vector_layer.setEditorWidgetSetup(index("status"), _value_map(status_labels()))
    vector_layer.setDefaultValueDefinition(index("status"), QgsDefaultValue("'{}'".format(STATUS_DONE), False))
    _require(vector_layer, index("status"), tr("Please say whether a follow-up is needed."),
             "\"status\" IN ('{}', '{}')".format(STATUS_OPEN, STATUS_DONE))

    vector_layer.setEditFormConfig(form)
    vector_layer.setDisplayExpression(
        "coalesce(\"asset_key\", '') || ' ' || coalesce(\"inspected_at\", '')")
    relations = _add_relations(vector_layer, links, project)
    if len(relations) == 1:  # the asset picked from a list or on the map
        vector_layer.setEditorWidgetSetup(index("asset_key"), QgsEditorWidgetSetup("RelationReference", {
            "Relation": relations[0].id(), "AllowNULL": True, "ShowForm": False, "ShowOpenFormButton": True,
            "MapIdentification": True, "OrderByValue": True, "AllowAddFeatures": False, "ReadOnly": False,
        }))
    else:  # one field, several asset layers: the key as text (filled from the nearest asset)
        vector_layer.setEditorWidgetSetup(index("asset_key"), QgsEditorWidgetSetup("TextEdit", {
            "IsMultiline": False, "UseHtml": False}))
    return relations


def _asset_layer_expression(links, nearest):
    """The asset layer whose key the inspection's asset_key names; before the key is set (the
    defaults are evaluated in field order) the layer of the nearest asset; else unchanged."""
    by_key = " ".join(
        "WHEN get_feature('{id}', '{key}', \"asset_key\") IS NOT NULL THEN '{table}'".format(
            id=layer.id(), key=key.replace("'", "''"), table=table.replace("'", "''"))
        for layer, table, key, _ in links
    )
    by_nearest = " ".join(
        "WHEN {near} IS NOT NULL THEN '{table}'".format(near=near, table=table.replace("'", "''"))
        for near, (_, table, _, _) in zip(nearest, links)
    )
    parts = []
    if by_key:
        parts.append("CASE WHEN \"asset_key\" IS NULL THEN NULL {} END".format(by_key))
    if by_nearest:
        parts.append("CASE WHEN \"asset_key\" IS NOT NULL THEN NULL {} END".format(by_nearest))
    return "coalesce({})".format(", ".join(parts + ["\"asset_layer\""]))


def _nearest_asset_expressions(links, max_distance_m=10):
    """Per asset layer, the expression of the key of its nearest asset within ``max_distance_m``
    of the new inspection's point (overlay_nearest, QGIS 3.16+); [] where the function is missing."""
    if not QgsExpression.isFunctionName("overlay_nearest"):
        return []
    return [
        "array_first(overlay_nearest('{id}', \"{key}\", max_distance:={d}))".format(
            id=layer.id(), key=key.replace('"', '""'), d=max_distance_m)
        for layer, _, key, _ in links
    ]


def _add_relations(inspections, links, project):
    manager = project.relationManager()
    relations = []
    for layer, table, key, title in links:
        # With its project as context (QGIS 3.12+): a bare QgsRelation looks its layers up in
        # the current project, not in a package project being written.
        relation = QgsRelation(QgsRelationContext(project)) if QgsRelationContext is not None else QgsRelation()
        relation.setId("hernetwin_inspections_{}".format(re.sub(r"\W", "_", table)))
        relation.setName(tr("Inspections of {layer}").format(layer=title))
        relation.setReferencingLayer(inspections.id())
        relation.setReferencedLayer(layer.id())
        relation.addFieldPair("asset_key", key)
        relation.setStrength(QgsRelation.Association)
        if not relation.isValid():
            raise InspectionError(
                tr("The inspections could not be linked to layer {layer}.").format(layer=title))
        if manager.relation(relation.id()).isValid():
            manager.removeRelation(relation.id())
        manager.addRelation(relation)
        relations.append(manager.relation(relation.id()))  # the manager's copy: ours dangles
    return relations
