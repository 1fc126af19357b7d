{#- Ends the operation with an error (dbt exits non-zero) when the reconciliation of any of the
    named models differs, so a script or CI job running a backfill sees the failure. -#}
{% macro backfill_fail_on_mismatches(models) -%}
    {%- if models -%}
        {{ exceptions.raise_compiler_error(
            'backfill: the reconciliation differs for ' ~ models | length ~ ' model(s): ' ~ models | join(', ')
            ~ '. The report above names the partitions; re-run the backfill for them, and if they still differ,'
            ~ ' the target does not hold what its views compute from raw.'
        ) }}
    {%- endif -%}
{%- endmacro %}
