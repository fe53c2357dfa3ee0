"""Quality checks of translations: what small models get wrong (numbers, names, loops,
untranslated or dropped text), each check in a module of its own, the flags they set made
and read in ``flags``."""
