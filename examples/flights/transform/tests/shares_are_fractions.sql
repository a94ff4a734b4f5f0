-- Every share of delayed flights per carrier and month is a fraction.
select * from {{ ref('delays_by_carrier_month') }}
where share_delayed_15 < 0 or share_delayed_15 > 1
