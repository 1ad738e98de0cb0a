"""Processing feedback shared by the docks and dialogs that run the twin's algorithms."""

from qgis.core import QgsProcessingFeedback


class ErrorKeepingFeedback(QgsProcessingFeedback):
    """Keeps the errors an algorithm reports, so the GUI can say why a run failed."""

    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802,N803 (QGIS API names)
        self.errors.append(error)
        super().reportError(error, fatalError)
