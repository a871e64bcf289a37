"""Built-in platform presets (TOML), shipped inside the wheel."""
