{{ config(tags=['daily']) }}
select c.customer_id, c.first_name, coalesce(t.orders, 0) as orders, coalesce(t.amount, 0) as amount
from {{ ref('stg_customers') }} as c
left join {{ ref('int_order_totals') }} as t using (customer_id)
