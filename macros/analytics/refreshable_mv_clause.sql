{#- Replaces dbt-clickhouse's macro of the same name (a project macro wins over the adapter's),
    which renders the REFRESH clause of a refreshable materialized view from the `refreshable`
    config. It renders the same clause, except that DEPENDS ON comes from the graph: the
    refreshable models this model refs, so ClickHouse refreshes them first and no model types
    its lineage by hand. A `depends_on` still typed in a config must agree with the graph. -#}
{% macro refreshable_mv_clause() -%}
    {%- set refreshable = config.get('refreshable') -%}
    {%- if refreshable is none or refreshable == false -%}
        {{ return('') }}
    {%- endif -%}
    {%- if refreshable is not mapping or not refreshable.get('interval') -%}
        {{ exceptions.raise_compiler_error("The 'refreshable' config of " ~ model.name ~ " must be a mapping with an 'interval', e.g. refreshable=analytics_refresh()") }}
    {%- endif -%}
    {%- set depends_on = refreshable_upstream_views(model) -%}
    {%- set typed = refreshable.get('depends_on') -%}
    {%- if typed and (([typed] if typed is string else typed) | sort) != (depends_on | sort) -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": refreshable depends_on " ~ typed ~ " differs from the refreshable models it refs, " ~ depends_on ~ "; remove it: DEPENDS ON is derived from the refs") }}
    {%- endif -%}
    REFRESH {{ refreshable.get('interval') }}
    {%- if refreshable.get('randomize') %} RANDOMIZE FOR {{ refreshable.get('randomize') }}{% endif %}
    {%- if depends_on %} DEPENDS ON {{ depends_on | join(', ') }}{% endif %}
    {%- if refreshable.get('append') %} APPEND{% endif %}
{%- endmacro %}

{#- The refreshable materialized views (`<database>.<model>_mv`, dbt-clickhouse's name for a
    model's view) of the models a node refs directly, in ref order; through a plain view that
    shows an incremental state (incremental_current), the state's view. -#}
{% macro refreshable_upstream_views(node, states_only=false) -%}
    {%- set views = [] -%}
    {%- for unique_id in node.depends_on.nodes -%}
        {%- set upstream = graph.nodes.get(unique_id) -%}
        {%- if upstream and upstream.resource_type == 'model'
            and upstream.config.materialized == 'materialized_view'
            and upstream.config.get('refreshable')
            and (not states_only or upstream.config.get('refreshable').get('append')) -%}
            {%- do views.append(upstream.schema ~ '.' ~ upstream.alias ~ '_mv') -%}
        {%- elif upstream and upstream.resource_type == 'model' and not states_only
            and upstream.config.materialized == 'view' -%}
            {%- for view in refreshable_upstream_views(upstream, states_only=true) if view not in views -%}
                {%- do views.append(view) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(views) }}
{%- endmacro %}
