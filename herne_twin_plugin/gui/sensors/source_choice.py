"""The catalog-source chooser the sensor docks share."""


def fill_sources(combo, services):
    """Offer ``services`` (catalog entries) in ``combo``, keeping the current choice where it is still there."""
    current = combo.currentData()
    combo.clear()
    for service in services:
        combo.addItem(service.name, service.service_id)
    index = combo.findData(current)
    if index >= 0:
        combo.setCurrentIndex(index)


def choose_source(combo, service_id):
    """Select the entry ``service_id``; KeyError where the combo does not offer it."""
    index = combo.findData(service_id)
    if index < 0:
        raise KeyError(service_id)
    combo.setCurrentIndex(index)
