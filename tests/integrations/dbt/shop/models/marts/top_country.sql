select country from {{ ref('country_revenue') }} order by revenue desc limit 1
