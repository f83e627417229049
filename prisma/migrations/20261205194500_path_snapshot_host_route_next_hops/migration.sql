-- path_snapshot also reads the ports holding the next hops of the host
-- routes DHCP gives the endpoints' subnets (a VM routing for others, on the
-- subnet's network): a VM follows those routes (docs/neutron-model.md,
-- "Paths: the VM's routes"). The rest of the function is unchanged.
CREATE OR REPLACE FUNCTION path_snapshot(instance_ids uuid[], instance_names text[], addresses text[], port_ids uuid[])
RETURNS json
LANGUAGE plpgsql
STABLE
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET jit = off
AS $function$
BEGIN
  RETURN (
    WITH RECURSIVE named AS (
      SELECT * FROM "Instance" WHERE id = ANY(instance_ids) OR name = ANY(instance_names)
    ), by_address AS (
      SELECT * FROM "FloatingIp" WHERE "floatingIpAddress" = ANY(addresses)
    ), direct AS (
      -- The ports the references name: by id, by instance, by fixed IP.
      SELECT id FROM "Port" WHERE id = ANY(port_ids)
      UNION SELECT p.id FROM "Port" p JOIN named ON p."instanceId" = named.id
      UNION SELECT "portId" FROM "IpAllocation" WHERE "ipAddress" = ANY(addresses)
    ), endpoint AS (
      -- With the ports behind the floating IPs given by address.
      SELECT id FROM direct UNION SELECT "portId" FROM by_address WHERE "portId" IS NOT NULL
    ), fip AS (
      SELECT * FROM by_address UNION SELECT * FROM "FloatingIp" WHERE "portId" = ANY(ARRAY(SELECT id FROM endpoint))
    ), reach(id, depth) AS (
      -- Routers with an interface on an endpoint's subnet and those of the floating IPs, then the
      -- routers holding the next hops of their extra routes, 8 routers deep at most (as the engine).
      SELECT p."routerId", 0 FROM "IpAllocation" eip
        JOIN "Subnet" s ON s.id = eip."subnetId"
        JOIN "Port" p ON p."networkId" = s."networkId" AND p."deviceOwner" = 'network:router_interface'
        JOIN "IpAllocation" ip ON ip."portId" = p.id AND ip."subnetId" = s.id
       WHERE eip."portId" = ANY(ARRAY(SELECT id FROM endpoint)) AND p."routerId" IS NOT NULL
      UNION SELECT "routerId", 0 FROM fip WHERE "routerId" IS NOT NULL
      UNION SELECT p."routerId", reach.depth + 1 FROM reach
        JOIN "RouterRoute" rr ON rr."routerId" = reach.id
        JOIN "IpAllocation" ip ON ip."ipAddress" = rr.nexthop
        JOIN "Port" p ON p.id = ip."portId"
       WHERE p."routerId" IS NOT NULL AND reach.depth < 7
    ), router AS (
      SELECT DISTINCT id FROM reach
    ), router_port AS (
      SELECT id FROM "Port" WHERE "routerId" = ANY(ARRAY(SELECT id FROM router))
    ), nexthop_holder AS (
      -- Other ports holding a next hop (a VM routing for others): of the routers' extra routes,
      -- and of the host routes DHCP gives the endpoints' subnets, on that subnet's network.
      SELECT p.id FROM "Port" p WHERE p."routerId" IS NULL AND p.id = ANY(ARRAY(
        SELECT ip."portId" FROM "IpAllocation" ip JOIN "RouterRoute" rr ON rr.nexthop = ip."ipAddress"
         WHERE rr."routerId" = ANY(ARRAY(SELECT id FROM router))))
      UNION SELECT p.id FROM "IpAllocation" eip
        JOIN "Subnet" s ON s.id = eip."subnetId"
        CROSS JOIN LATERAL jsonb_array_elements(s."hostRoutes") hr
        JOIN "IpAllocation" ip ON ip."ipAddress" = hr->>'nexthop'
        JOIN "Port" p ON p.id = ip."portId" AND p."networkId" = s."networkId" AND p."routerId" IS NULL
       WHERE eip."portId" = ANY(ARRAY(SELECT id FROM endpoint))
    ), metadata_server AS (
      SELECT p.id FROM "Port" p
       WHERE '169.254.169.254' = ANY(addresses) AND p."deviceOwner" = 'network:dhcp'
         AND p."networkId" = ANY(ARRAY(SELECT "networkId" FROM "Port" WHERE id = ANY(ARRAY(SELECT id FROM endpoint))))
    ), network AS (
      SELECT "networkId" AS id FROM "Port"
       WHERE id = ANY(ARRAY(SELECT id FROM endpoint UNION SELECT id FROM nexthop_holder UNION SELECT id FROM router_port))
      UNION SELECT "floatingNetworkId" FROM fip
    ), subnet AS (
      SELECT * FROM "Subnet" WHERE "networkId" = ANY(ARRAY(SELECT id FROM network))
    ), gateway_holder AS (
      SELECT ip."portId" AS id FROM "IpAllocation" ip JOIN subnet s ON ip."subnetId" = s.id AND ip."ipAddress" = s."gatewayIp"
    ), plain_port AS (
      -- The ports whose security groups count: all but router ports.
      SELECT id FROM endpoint UNION SELECT id FROM nexthop_holder UNION (SELECT id FROM gateway_holder EXCEPT SELECT id FROM router_port)
    ), host AS (
      SELECT "hostId" AS id FROM "Port" WHERE id = ANY(ARRAY(SELECT id FROM plain_port UNION SELECT id FROM router_port UNION SELECT id FROM metadata_server)) AND "hostId" IS NOT NULL
      UNION SELECT "hostId" FROM "Router" WHERE id = ANY(ARRAY(SELECT id FROM router)) AND "hostId" IS NOT NULL
    ), grp AS (
      SELECT DISTINCT "securityGroupId" AS id FROM "PortSecurityGroup" WHERE "portId" = ANY(ARRAY(SELECT id FROM plain_port))
    ), remote AS (
      SELECT DISTINCT "remoteGroupId" AS id FROM "SecurityGroupRule"
       WHERE "securityGroupId" = ANY(ARRAY(SELECT id FROM grp)) AND "remoteGroupId" IS NOT NULL
    ), member AS (
      -- Fixed IPs and allowed address pairs of every remote group's member ports.
      SELECT DISTINCT psg."securityGroupId" AS "groupId", unnest(
             ARRAY(SELECT ip."ipAddress" FROM "IpAllocation" ip WHERE ip."portId" = psg."portId")
          || ARRAY(SELECT ap."ipAddress" FROM "AllowedAddressPair" ap WHERE ap."portId" = psg."portId")) AS address
        FROM "PortSecurityGroup" psg WHERE psg."securityGroupId" = ANY(ARRAY(SELECT id FROM remote))
    )
    SELECT json_build_object(
      -- Every port once, with its child rows and the roles it plays here.
      'ports', (SELECT COALESCE(json_agg(
          to_jsonb(p) || jsonb_build_object(
            'fixedIps', (SELECT COALESCE(json_agg(json_build_object('subnetId', ip."subnetId", 'ipAddress', ip."ipAddress") ORDER BY ip."subnetId", ip."ipAddress"), '[]')
                           FROM "IpAllocation" ip WHERE ip."portId" = p.id),
            'securityGroups', (SELECT COALESCE(json_agg(json_build_object('securityGroupId', g."securityGroupId") ORDER BY g."securityGroupId"), '[]')
                                 FROM "PortSecurityGroup" g WHERE g."portId" = p.id),
            'allowedAddressPairs', (SELECT COALESCE(json_agg(json_build_object('ipAddress', a."ipAddress", 'macAddress', a."macAddress") ORDER BY a."ipAddress"), '[]')
                                      FROM "AllowedAddressPair" a WHERE a."portId" = p.id),
            'direct', p.id = ANY(ARRAY(SELECT id FROM direct)),
            'endpoint', p.id = ANY(ARRAY(SELECT id FROM endpoint)),
            'routerPort', p.id = ANY(ARRAY(SELECT id FROM router_port)),
            'nexthopHolder', p.id = ANY(ARRAY(SELECT id FROM nexthop_holder)),
            'gatewayHolder', p.id = ANY(ARRAY(SELECT id FROM gateway_holder)),
            'metadataServer', p.id = ANY(ARRAY(SELECT id FROM metadata_server)))
          ORDER BY p.id), '[]')
        FROM "Port" p
       WHERE p.id = ANY(ARRAY(SELECT id FROM endpoint UNION SELECT id FROM router_port UNION SELECT id FROM nexthop_holder UNION SELECT id FROM gateway_holder
                              UNION SELECT id FROM metadata_server))),
      'floatingIps', (SELECT COALESCE(json_agg(to_json(f) ORDER BY f.id), '[]') FROM fip f),
      'instances', (SELECT COALESCE(json_agg(to_json(i) ORDER BY i.id), '[]') FROM (
          SELECT * FROM named
          UNION SELECT * FROM "Instance" WHERE id = ANY(ARRAY(SELECT "instanceId" FROM "Port" WHERE id = ANY(ARRAY(SELECT id FROM endpoint UNION SELECT id FROM nexthop_holder))))) i),
      'routers', (SELECT COALESCE(json_agg(to_jsonb(r) || jsonb_build_object('routes',
            (SELECT COALESCE(json_agg(json_build_object('destination', x.destination, 'nexthop', x.nexthop) ORDER BY x.destination, x.nexthop), '[]')
               FROM "RouterRoute" x WHERE x."routerId" = r.id)) ORDER BY r.id), '[]')
          FROM "Router" r WHERE r.id = ANY(ARRAY(SELECT id FROM router))),
      'networks', (SELECT COALESCE(json_agg(to_json(n) ORDER BY n.id), '[]') FROM "Network" n WHERE n.id = ANY(ARRAY(SELECT id FROM network))),
      'subnets', (SELECT COALESCE(json_agg(to_json(s) ORDER BY s."createdAt", s.id), '[]') FROM subnet s),
      -- A host without l2population has a tunnel port to every other endpoint
      -- of its IP version: their number, for the flood a path shows there.
      'hosts', (SELECT COALESCE(json_agg(to_jsonb(h) || jsonb_build_object('tunnelPeers', CASE WHEN h."l2Population" THEN NULL ELSE
            (SELECT count(*) FROM "Host" o WHERE o."tunnelIp" <> h."tunnelIp" AND family(o."tunnelIp"::inet) = family(h."tunnelIp"::inet)) END)
          ORDER BY h.id), '[]') FROM "Host" h WHERE h.id = ANY(ARRAY(SELECT id FROM host))),
      'localVlans', (SELECT COALESCE(json_agg(to_json(v) ORDER BY v."hostId", v."networkId"), '[]') FROM "LocalVlan" v
         WHERE v."hostId" = ANY(ARRAY(SELECT id FROM host)) AND v."networkId" = ANY(ARRAY(SELECT id FROM network))),
      'groups', (SELECT COALESCE(json_agg(to_jsonb(g) || jsonb_build_object('rules',
            (SELECT COALESCE(json_agg(to_json(r) ORDER BY r.id), '[]') FROM "SecurityGroupRule" r WHERE r."securityGroupId" = g.id)) ORDER BY g.id), '[]')
          FROM "SecurityGroup" g WHERE g.id = ANY(ARRAY(SELECT id FROM grp))),
      'remoteGroups', (SELECT COALESCE(json_agg(to_json(g) ORDER BY g.id), '[]') FROM "SecurityGroup" g
         WHERE g.id = ANY(ARRAY(SELECT id FROM remote EXCEPT SELECT id FROM grp))),
      'members', (SELECT COALESCE(json_agg(to_json(m) ORDER BY m."groupId"::text, m.address), '[]') FROM member m)
    )
  );
END
$function$;
