"""startup: an empty program; its time and RSS are the runtime's start-up cost."""
