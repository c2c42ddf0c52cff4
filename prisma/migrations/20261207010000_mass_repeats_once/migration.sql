-- A repeated MASS timestamp counts once. Hand-written: no schema change. Two MASS requests may carry
-- a reading for the same series (tenant, site, facility, cluster, zone) and interval_start; the
-- rollups summed both. Now the latest received live reading (the highest observation id) counts
-- (lib/rollups/measures.ts, liveMassSql). This recomputes the MASS rollups of every series-day
-- that holds such a repeat, with the SQL of lib/rollups/measures.ts; other rollup rows are already
-- right. tests/integration/rollups.test.ts runs it after the first backfill and compares the
-- result with the rollups the app maintains.
CREATE TEMPORARY TABLE mass_repeat_day AS
SELECT DISTINCT o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id,
       date_bin('1 day'::interval, o.interval_start, timestamptz '2000-01-01 00:00:00+00') AS day
  FROM observation o
 WHERE o.dataset_version_id IS NULL AND o.mass_request_id IS NOT NULL AND o.deleted_at IS NULL
 GROUP BY o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.interval_start
HAVING count(*) > 1;

delete from observation_rollup_hour r using mass_repeat_day d where r.dataset_version_id is null and d.tenant_id = r.tenant_id and d.site_id = r.site_id and d.facility_id is not distinct from r.facility_id and d.cluster_id is not distinct from r.cluster_id and d.zone_id is not distinct from r.zone_id and r.bucket >= d.day and r.bucket < d.day + interval '1 day';
delete from observation_rollup_day r using mass_repeat_day d where r.dataset_version_id is null and d.tenant_id = r.tenant_id and d.site_id = r.site_id and d.facility_id is not distinct from r.facility_id and d.cluster_id is not distinct from r.cluster_id and d.zone_id is not distinct from r.zone_id and r.bucket = d.day;

    insert into observation_rollup_hour (tenant_id, site_id, facility_id, cluster_id, zone_id, dataset_version_id, bucket, rows, facility_kwh, it_kwh, pue_facility_kwh, pue_it_kwh, cooling_kwh, cooling_facility_kwh, cost, currency_min, currency_max, co2e_g, carbon_facility_kwh, inlet_c_hours, inlet_hours, hotspot_readings, hotspot_hours, p95_inlet_sum_c, p95_inlet_count, p95_inlet_max_c, present_intervals, step_hours, setpoint_min_c, setpoint_max_c)
    select o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, date_bin('1 hour'::interval, o.interval_start, timestamptz '2000-01-01 00:00:00+00') as bucket,
           count(*) as rows,
           sum(o.facility_power_kw * o.h) as facility_kwh,
           sum(o.it_load_kw * o.h) as it_kwh,
           sum(o.facility_power_kw * o.h) filter (where o.it_load_kw is not null) as pue_facility_kwh,
           sum(o.it_load_kw * o.h) filter (where o.facility_power_kw is not null) as pue_it_kwh,
           sum((coalesce(o.chiller_kw, 0) + coalesce(o.fan_power_kw, 0)) * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null) as cooling_kwh,
           sum(o.facility_power_kw * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null) as cooling_facility_kwh,
           sum(o.facility_power_kw * o.h * o.energy_price_per_kwh) as cost,
           min(o.currency) as currency_min,
           max(o.currency) as currency_max,
           sum(o.facility_power_kw * o.h * o.carbon_intensity_gco2_per_kwh) as co2e_g,
           sum(o.facility_power_kw * o.h) filter (where o.carbon_intensity_gco2_per_kwh is not null) as carbon_facility_kwh,
           sum(o.avg_rack_inlet_c * o.h) as inlet_c_hours,
           sum(o.h) filter (where o.avg_rack_inlet_c is not null) as inlet_hours,
           count(o.hotspot_rack_count) as hotspot_readings,
           sum(o.h) filter (where o.hotspot_rack_count > 0) as hotspot_hours,
           sum(o.p95_rack_inlet_c) as p95_inlet_sum_c,
           count(o.p95_rack_inlet_c) as p95_inlet_count,
           max(o.p95_rack_inlet_c) as p95_inlet_max_c,
           count(*) filter (where o.h > 0) as present_intervals,
           min(o.h) filter (where o.h > 0) as step_hours,
           min(o.cooling_setpoint_c) as setpoint_min_c,
           max(o.cooling_setpoint_c) as setpoint_max_c
      from (select o.*, date_part('epoch', o.interval_end - o.interval_start) / 3600 as h from observation o where o.dataset_version_id is null and o.mass_request_id is not null and o.deleted_at is null and not exists (select 1 from observation later
     where later.tenant_id = o.tenant_id and later.site_id = o.site_id and later.interval_start = o.interval_start
       and later.facility_id is not distinct from o.facility_id and later.cluster_id is not distinct from o.cluster_id and later.zone_id is not distinct from o.zone_id
       and later.mass_request_id is not null and later.deleted_at is null and later.id > o.id) and exists (select 1 from mass_repeat_day d where d.tenant_id = o.tenant_id and d.site_id = o.site_id and d.facility_id is not distinct from o.facility_id and d.cluster_id is not distinct from o.cluster_id and d.zone_id is not distinct from o.zone_id and d.day = date_bin('1 day'::interval, o.interval_start, timestamptz '2000-01-01 00:00:00+00'))) o
     group by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, 7;

    insert into observation_rollup_day (tenant_id, site_id, facility_id, cluster_id, zone_id, dataset_version_id, bucket, rows, facility_kwh, it_kwh, pue_facility_kwh, pue_it_kwh, cooling_kwh, cooling_facility_kwh, cost, currency_min, currency_max, co2e_g, carbon_facility_kwh, inlet_c_hours, inlet_hours, hotspot_readings, hotspot_hours, p95_inlet_sum_c, p95_inlet_count, p95_inlet_max_c, present_intervals, step_hours, setpoint_min_c, setpoint_max_c, p95_inlet_sorted, p95_inlet_bins, p95_inlet_bin_counts)
    select m.tenant_id, m.site_id, m.facility_id, m.cluster_id, m.zone_id, m.dataset_version_id, m.bucket, m.rows, m.facility_kwh, m.it_kwh, m.pue_facility_kwh, m.pue_it_kwh, m.cooling_kwh, m.cooling_facility_kwh, m.cost, m.currency_min, m.currency_max, m.co2e_g, m.carbon_facility_kwh, m.inlet_c_hours, m.inlet_hours, m.hotspot_readings, m.hotspot_hours, m.p95_inlet_sum_c, m.p95_inlet_count, m.p95_inlet_max_c, m.present_intervals, m.step_hours, m.setpoint_min_c, m.setpoint_max_c, s.sorted, b.bins, b.counts
      from (select r.tenant_id, r.site_id, r.facility_id, r.cluster_id, r.zone_id, r.dataset_version_id, date_bin('1 day'::interval, r.bucket, timestamptz '2000-01-01 00:00:00+00') as bucket, sum(r.rows) as rows, sum(r.facility_kwh) as facility_kwh, sum(r.it_kwh) as it_kwh, sum(r.pue_facility_kwh) as pue_facility_kwh, sum(r.pue_it_kwh) as pue_it_kwh, sum(r.cooling_kwh) as cooling_kwh, sum(r.cooling_facility_kwh) as cooling_facility_kwh, sum(r.cost) as cost, min(r.currency_min) as currency_min, max(r.currency_max) as currency_max, sum(r.co2e_g) as co2e_g, sum(r.carbon_facility_kwh) as carbon_facility_kwh, sum(r.inlet_c_hours) as inlet_c_hours, sum(r.inlet_hours) as inlet_hours, sum(r.hotspot_readings) as hotspot_readings, sum(r.hotspot_hours) as hotspot_hours, sum(r.p95_inlet_sum_c) as p95_inlet_sum_c, sum(r.p95_inlet_count) as p95_inlet_count, max(r.p95_inlet_max_c) as p95_inlet_max_c, sum(r.present_intervals) as present_intervals, min(r.step_hours) as step_hours, min(r.setpoint_min_c) as setpoint_min_c, max(r.setpoint_max_c) as setpoint_max_c
              from observation_rollup_hour r
             where r.dataset_version_id is null and exists (select 1 from mass_repeat_day d where d.tenant_id = r.tenant_id and d.site_id = r.site_id and d.facility_id is not distinct from r.facility_id and d.cluster_id is not distinct from r.cluster_id and d.zone_id is not distinct from r.zone_id and d.day = date_bin('1 day'::interval, r.bucket, timestamptz '2000-01-01 00:00:00+00'))
             group by r.tenant_id, r.site_id, r.facility_id, r.cluster_id, r.zone_id, r.dataset_version_id, 7) m
      left join (select o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, date_bin('1 day'::interval, o.interval_start, timestamptz '2000-01-01 00:00:00+00') as bucket, array_agg(o.p95_rack_inlet_c) as p95s
                   from observation o
                  where (o.dataset_version_id is null and o.mass_request_id is not null and o.deleted_at is null and not exists (select 1 from observation later
     where later.tenant_id = o.tenant_id and later.site_id = o.site_id and later.interval_start = o.interval_start
       and later.facility_id is not distinct from o.facility_id and later.cluster_id is not distinct from o.cluster_id and later.zone_id is not distinct from o.zone_id
       and later.mass_request_id is not null and later.deleted_at is null and later.id > o.id) and exists (select 1 from mass_repeat_day d where d.tenant_id = o.tenant_id and d.site_id = o.site_id and d.facility_id is not distinct from o.facility_id and d.cluster_id is not distinct from o.cluster_id and d.zone_id is not distinct from o.zone_id and d.day = date_bin('1 day'::interval, o.interval_start, timestamptz '2000-01-01 00:00:00+00'))) and o.p95_rack_inlet_c is not null
                  group by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, 7) p on p.bucket = m.bucket and p.tenant_id = m.tenant_id and p.site_id = m.site_id and p.facility_id is not distinct from m.facility_id and p.cluster_id is not distinct from m.cluster_id and p.zone_id is not distinct from m.zone_id and p.dataset_version_id is not distinct from m.dataset_version_id
      left join lateral (select array_agg(v order by v) as sorted from unnest(p.p95s) v) s on true
      left join lateral (
        select array_agg(bin order by bin) as bins, array_agg(n order by bin) as counts
          from (select least(greatest(floor(v * 4), -1000000), 1000000)::int as bin, count(*)::int as n from unnest(p.p95s) v group by 1) x) b on true;

DROP TABLE mass_repeat_day;
