{{ config(tags=['daily'], group='finance') }}
{% if var('fail_country_revenue', false) %}
select * from a_table_that_does_not_exist
{% else %}
select c.country, sum(o.amount) as revenue
from {{ ref('stg_customers') }} as c
join {{ ref('customer_orders') }} as o using (customer_id)
group by c.country
{% endif %}
