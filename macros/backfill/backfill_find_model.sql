{#- The graph node of a materialized-view model of this project, by name; a clear error for an
    unknown name, a name that is not an identifier, a model of another materialization, or one
    that opts out with config backfill: false. -#}
{% macro backfill_find_model(model_name) -%}
    {%- if model_name is none or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', model_name | string) -%}
        {{ exceptions.raise_compiler_error("backfill: argument 'model' must be a model name (letters, digits, _), got: " ~ model_name) }}
    {%- endif -%}
    {%- set matches = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('package_name', 'equalto', project_name)
        | selectattr('name', 'equalto', model_name)
        | list -%}
    {%- if matches | length == 0 -%}
        {{ exceptions.raise_compiler_error("backfill: unknown model '" ~ model_name ~ "'") }}
    {%- endif -%}
    {%- set node = matches[0] -%}
    {%- if node.config.materialized != 'materialized_view' or node.config.get('refreshable') -%}
        {{ exceptions.raise_compiler_error(
            "backfill: model '" ~ model_name ~ "' is materialized as '" ~ node.config.materialized
            ~ ("' (refreshable)" if node.config.get('refreshable') else "'")
            ~ ", not as an insert-triggered materialized view: nothing to backfill"
        ) }}
    {%- endif -%}
    {%- if node.config.get('backfill') is sameas false -%}
        {{ exceptions.raise_compiler_error(
            "backfill: model '" ~ model_name ~ "' counts deliveries as they arrive (config backfill: false);"
            ~ " raw keeps only the newest version of each row, so it cannot be recomputed from raw: nothing to backfill"
        ) }}
    {%- endif -%}
    {{ return(node) }}
{%- endmacro %}
