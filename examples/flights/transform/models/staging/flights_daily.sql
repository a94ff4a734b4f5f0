-- The flights of the run's days that operated (cancelled: no dep_time or arr_time), with the
-- airline's name, scheduled and actual departure (local time), the UTC hour and the weather
-- at the origin in that hour. Partitioned by day: a run replaces the rows of its days.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['year', 'month', 'day'],
) }}

with flown as (
    select *
    from {{ source('nycflights13', 'raw_flights') }}
    where {{ in_partition_window('make_date(year, month, day)') }}
      and dep_time is not null
      and arr_time is not null
),

scheduled as (
    select
        *,
        make_timestamp(year, month, day, hour, minute, 0) as scheduled_departure,
        cast(time_hour as timestamptz) as time_hour_utc
    from flown
)

select
    f.year,
    f.month,
    f.day,
    f.carrier,
    a.name as carrier_name,
    f.flight,
    f.tailnum,
    f.origin,
    f.dest,
    f.scheduled_departure,
    f.scheduled_departure + to_minutes(cast(f.dep_delay as bigint)) as departure,
    f.dep_delay,
    f.arr_delay,
    f.air_time,
    f.distance,
    f.time_hour_utc as time_hour,
    w.temp,
    w.dewp,
    w.humid,
    w.wind_dir,
    w.wind_speed,
    w.wind_gust,
    w.precip,
    w.pressure,
    w.visib,
    w.origin is not null as has_weather
from scheduled as f
left join {{ source('nycflights13', 'raw_airlines') }} as a on a.carrier = f.carrier
left join {{ ref('weather_hourly') }} as w on w.origin = f.origin and w.time_hour = f.time_hour_utc
order by f.year, f.month, f.day, f.scheduled_departure, f.carrier, f.flight
