"""Our changes to two of openapi-python-client's own templates, applied by scripts/generate to
the pinned generator's copies at generation time (its `--custom-template-path`). Each change is
an (anchor, replacement) pair; generation fails if an anchor is missing, so a new generator
version cannot drop one silently.

Why:
- models keep the keys `from_dict` did not know (`unknown_properties`), and `to_dict` returns
  them: a misspelled field is refused, and named, when the model reaches a client (whose spec
  check allows no other key), never silently dropped; a missing required key is the client's
  `required` violation, not a bare KeyError;
- models' reprs list only the fields that are set, and `UNSET` shows as `UNSET`, never as
  `<...Unset object at 0x...>`.
"""

PATCHES: dict[str, list[tuple[str, str]]] = {
    "model.py.jinja": [
        (
            "@_attrs_define\nclass {{ class_name }}:",
            "@_attrs_define(repr=False)\nclass {{ class_name }}:",
        ),
        (
            "    additional_properties: dict[str, {{ additional_property_type }}]"
            " = _attrs_field(init=False, factory=dict)\n    {% endif %}\n",
            "    additional_properties: dict[str, {{ additional_property_type }}]"
            " = _attrs_field(init=False, factory=dict)\n    {% endif %}\n"
            "    {% if not model.additional_properties %}\n"
            "    unknown_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)\n"
            '    """Keys `from_dict` did not know: sent as they are, so that the spec check'
            ' refuses them."""\n'
            "    {% endif %}\n"
            "\n"
            "    def __repr__(self) -> str:\n"
            '        """The fields that are set (UNSET ones are left out)."""\n'
            "        shown = [\n"
            '            f"{field.name}={getattr(self, field.name)!r}"\n'
            "            for field in self.__attrs_attrs__\n"
            "            if not isinstance(getattr(self, field.name), Unset)\n"
            "            and getattr(self, field.name) != {}\n"
            "        ]\n"
            "        return f\"{type(self).__name__}({', '.join(shown)})\"\n",
        ),
        (
            "\nreturn field_dict\n{% endmacro %}",
            "\n{% if not model.additional_properties %}\n"
            "field_dict.update(self.unknown_properties)\n"
            "{% endif %}\nreturn field_dict\n{% endmacro %}",
        ),
        (
            "{% set property_source = 'd.pop(\"' + (property.name | in_double_quote_literal)"
            " + '\")' %}",
            "{% set property_source = 'd.pop(\"' + (property.name | in_double_quote_literal)"
            " + '\", UNSET)' %}",
        ),
        (
            "        return {{ module_name }}\n\n    {% if model.additional_properties %}\n",
            "{% if not model.additional_properties and"
            " (model.required_properties or model.optional_properties) %}\n"
            "        {{ module_name }}.unknown_properties = d\n"
            "{% endif %}\n"
            "        return {{ module_name }}\n\n    {% if model.additional_properties %}\n",
        ),
    ],
    "types.py.jinja": [
        (
            "class Unset:\n    def __bool__(self) -> Literal[False]:\n        return False\n",
            "class Unset:\n    def __bool__(self) -> Literal[False]:\n        return False\n\n"
            '    def __repr__(self) -> str:\n        return "UNSET"\n',
        ),
    ],
}
