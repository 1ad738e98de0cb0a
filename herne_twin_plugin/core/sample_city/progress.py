"""Progress and cancel for the generator, with or without a Processing feedback."""

from ..i18n import tr


class GenerationCanceled(Exception):  # noqa: N818 (a cancel is not an error)
    """The user canceled; the output folder may hold incomplete files."""


class Progress:
    """Maps the generator's steps onto one 0-100 % bar.

    ``steps`` is a list of (key, weight); ``begin(key)`` starts a step,
    ``fraction(f)`` reports how far the current step is. Both raise
    GenerationCanceled once the feedback says the user canceled.
    """

    def __init__(self, feedback, steps):
        self._feedback = feedback
        self._weights = dict(steps)
        self._order = [key for key, _weight in steps]
        self._total = float(sum(self._weights.values()))
        self._done = 0.0
        self._current = None

    def check_canceled(self):
        if self._feedback is not None and self._feedback.isCanceled():
            raise GenerationCanceled(tr("Generation of the sample city was canceled."))

    def begin(self, key, message):
        if self._current is not None:
            self._done += self._weights[self._current]
        self._current = key
        self.info(message)
        self._report(0.0)

    def fraction(self, value):
        self._report(min(max(value, 0.0), 1.0))

    def finish(self):
        if self._current is not None:
            self._done += self._weights[self._current]
            self._current = None
        if self._feedback is not None:
            self._feedback.setProgress(100.0)

    def info(self, message):
        if self._feedback is not None:
            self._feedback.pushInfo(message)

    def _report(self, value):
        self.check_canceled()
        if self._feedback is not None and self._current is not None:
            done = self._done + value * self._weights[self._current]
            self._feedback.setProgress(100.0 * done / self._total)
