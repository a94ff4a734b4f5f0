{{ config(tags=['deprecated'], meta={'headwater': {'asset_key': ['reports', 'legacy'], 'owners': ['team:finance']}}) }}
select count(*) as customers from {{ ref('stg_customers') }}
