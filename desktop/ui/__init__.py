"""The Qt window: shows and edits through desktop.office, never writes SQL."""
