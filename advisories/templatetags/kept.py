"""`{% kept "name" %}...{% endkept %}`: a part of a country's or region's page that is the same for
every visitor, written from the cache when the view found it kept (advisories.page_cache.KeptParts,
in the context as `parts`), rendered and kept otherwise."""

from __future__ import annotations

from django import template
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        parts = context.get("parts")
        if parts is None:
            return self.nodelist.render(context)
        kept = parts.kept(self.name)
        if kept is not None:
            # Rendered by this very template (and escaped then) for an earlier visitor.
            return mark_safe(kept)  # nosec B703 B308
        content = self.nodelist.render(context)
        parts.rendered_now(self.name, str(content))
        return content


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('kept takes one quoted name: {% kept "name" %}')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1][1:-1], nodelist)
