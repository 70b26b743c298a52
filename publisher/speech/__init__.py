"""Speech: what the narrator says (script) and the engines that say it."""
