"""The emergency app's workbench items (`kepu.core.workbench`)."""
