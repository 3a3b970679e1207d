"""The validation report's index page as plain HTML tables.

GX draws the index's lists in the browser with the bootstrap-table plugin, which no Python
package ships; without it the index lists nothing. This renderer, plugged in through the site
index builder's `renderer` setting, keeps GX's columns and cells but emits ordinary tables,
each row's first cell linking to the row's page (GX makes the whole row clickable in script).
"""

from __future__ import annotations

from great_expectations.render import RenderedStringTemplateContent, RenderedTableContent
from great_expectations.render.renderer.site_index_page_renderer import SiteIndexPageRenderer

LINK = "_table_row_link_path"


class StaticSiteIndexPageRenderer(SiteIndexPageRenderer):
    @classmethod
    def _generate_expectation_suites_link_table(cls, index_links_dict):
        return _static(super()._generate_expectation_suites_link_table(index_links_dict))

    @classmethod
    def _generate_validation_results_link_table(cls, index_links_dict):
        return _static(super()._generate_validation_results_link_table(index_links_dict))


def _static(table) -> RenderedTableContent:
    """The same columns and cells as GX's bootstrap table, in rows written into the page."""
    fields = [column["field"] for column in table.table_columns]
    rows = [[_linked(row[fields[0]], row[LINK]), *(row[field] for field in fields[1:])] for row in table.table_data]
    return RenderedTableContent(
        table=rows,
        header_row=[column["title"] for column in table.table_columns],
        styling={**table.styling, "body": {"classes": [*table.styling["body"]["classes"], "table", "table-hover"]}},
    )


def _linked(cell, href: str) -> RenderedStringTemplateContent:
    """A cell (text, or GX's string template such as the status icon) made into a link to `href`."""
    if not isinstance(cell, RenderedStringTemplateContent):
        cell = RenderedStringTemplateContent(string_template={"template": "$text", "params": {"text": cell}})
    template = dict(cell.string_template)
    styling = dict(template.get("styling") or {})
    template["tag"] = "a"
    template["styling"] = {**styling, "attributes": {**styling.get("attributes", {}), "href": href}}
    return RenderedStringTemplateContent(string_template=template)
