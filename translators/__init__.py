"""Translation engines behind one interface (base.Translator), and Argos model packages."""
