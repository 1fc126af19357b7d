{#- Every insert-triggered materialized-view model of the project (but logs of deliveries,
    config backfill: false, which raw cannot reproduce), ordered so that a model
    comes after every materialized-view model upstream of it (through any other nodes); ties by
    name, so the order is stable. -#}
{% macro backfill_models_in_dependency_order() -%}
    {%- set models = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('package_name', 'equalto', project_name)
        | selectattr('config.materialized', 'equalto', 'materialized_view')
        | rejectattr('config.refreshable')
        | rejectattr('config.backfill', 'sameas', false)
        | sort(attribute='name')
        | list -%}
    {%- set model_ids = models | map(attribute='unique_id') | list -%}
    {#- upstream materialized-view models of each model, walking depends_on transitively -#}
    {%- set upstream = {} -%}
    {%- for model in models -%}
        {%- set seen = [] -%}
        {%- set frontier = model.depends_on.nodes | list -%}
        {%- for _ in range(graph.nodes | length) if frontier -%}
            {%- set next_frontier = [] -%}
            {%- for unique_id in frontier if unique_id not in seen -%}
                {%- do seen.append(unique_id) -%}
                {%- do next_frontier.extend(graph.nodes.get(unique_id, {}).get('depends_on', {}).get('nodes', [])) -%}
            {%- endfor -%}
            {%- do frontier.clear() -%}
            {%- do frontier.extend(next_frontier) -%}
        {%- endfor -%}
        {%- do upstream.update({model.unique_id: seen | select('in', model_ids) | list}) -%}
    {%- endfor -%}
    {#- place models whose upstream models are all placed, pass after pass -#}
    {%- set ordered = [] -%}
    {%- set placed = [] -%}
    {%- for _ in range(models | length) -%}
        {%- for model in models if model.unique_id not in placed -%}
            {%- if upstream[model.unique_id] | reject('in', placed) | list | length == 0 -%}
                {%- do ordered.append(model) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do placed.extend(ordered | map(attribute='unique_id') | reject('in', placed) | list) -%}
    {%- endfor -%}
    {%- if ordered | length != models | length -%}
        {{ exceptions.raise_compiler_error("backfill_all: dependency cycle among materialized-view models") }}
    {%- endif -%}
    {{ return(ordered) }}
{%- endmacro %}
