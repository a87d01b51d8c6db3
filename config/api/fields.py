"""Serializer fields the apps' write endpoints share: a related object named by its slug or
ISO 3166 code, alone or in a list, with messages that say what would be accepted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CodeRelatedField(serializers.SlugRelatedField[Any]):
    """A country or region named by its ISO 3166 code, in either case (`ml`, `ML-BKO`)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            data = data.strip().upper()
        return super().to_internal_value(data)


def named(
    queryset: Any,
    *,
    no_such: StrOrPromise,
    each: StrOrPromise,
    a_list: StrOrPromise | None = None,
    slug_field: str = "slug",
    by_code: bool = False,
    **kwargs: Any,
) -> Any:
    """A related object named by its slug (by its ISO 3166 code in either case if `by_code`).

    `no_such`, with {value}, says that nothing has that name; `each` how to write one. With
    `a_list`, how to write the list, the field takes a list of them."""
    messages = {"does_not_exist": no_such, "invalid": each}
    if a_list is not None:
        messages["not_a_list"] = a_list
        kwargs["many"] = True
    field_class = CodeRelatedField if by_code else serializers.SlugRelatedField
    return field_class(slug_field=slug_field, queryset=queryset, error_messages=messages, **kwargs)


def organisation_slug(help_text: StrOrPromise) -> serializers.SlugField:
    """The organisation a write is for, by its slug: needed only when the user could write for several."""
    return serializers.SlugField(required=False, write_only=True, help_text=help_text)
