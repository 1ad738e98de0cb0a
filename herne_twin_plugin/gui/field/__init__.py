"""The field inspection dialogs: packaging wizard, sync dialog, conflict dialog, receipts."""
