{#- Rows of the run's partitions: `date_expr` within [partition_start, partition_end).
    headwater passes the window of a partitioned run as --vars (ISO 8601 in New York time, so
    the first ten characters are the local date); without them, every row. -#}
{% macro in_partition_window(date_expr) -%}
    {%- set start = var('partition_start', none) -%}
    {%- set end = var('partition_end', none) -%}
    {%- if start is none -%}
        true
    {%- else -%}
        {{ date_expr }} >= date '{{ start[:10] }}' and {{ date_expr }} < date '{{ end[:10] }}'
    {%- endif -%}
{%- endmacro %}

{#- The share of rows whose delay (minutes) exceeds the on-time threshold, among the rows
    whose delay is known: a fraction between 0 and 1. -#}
{% macro share_late(delay, threshold=15) -%}
    avg(case when {{ delay }} is null then null when {{ delay }} > {{ threshold }} then 1.0 else 0.0 end)
{%- endmacro %}
