// The VM ports that sets of endpoints may hold (by instance, network,
// subnet, project or CIDR), and which of the documentation addresses that
// stand for the internet some subnet holds: one statement whatever the sets.
import type { CandidatePort, EndpointSet } from '../domain/analysis/endpointSets.js';
import { INTERNET_CANDIDATES } from '../domain/analysis/endpointSets.js';
import { isUuid } from '../services/ids.js';
import type { Db } from '../services/transaction.js';

export interface SetCandidates {
  ports: CandidatePort[];
  /** The internet candidates inside some modelled subnet. */
  heldInternetCandidates: string[];
}

const lower = (ids: string[]) => ids.filter(isUuid).map((id) => id.toLowerCase());

export async function loadSetCandidates(db: Db, sets: EndpointSet[]): Promise<SetCandidates> {
  const of = <K extends EndpointSet['kind']>(kind: K) => sets.filter((s): s is Extract<EndpointSet, { kind: K }> => s.kind === kind);
  const named = of('INSTANCES').flatMap((s) => s.instances);
  const [{ snapshot }] = await db.$queryRawUnsafe<{ snapshot: { ports: CandidatePort[]; held: string[] } }[]>(
    `WITH vm AS (
       SELECT p.id, p."projectId", p."networkId", p."instanceId", i.name AS "instanceName"
         FROM "Port" p LEFT JOIN "Instance" i ON i.id = p."instanceId"
        WHERE p."deviceOwner" LIKE 'compute:%' AND (
              p."instanceId" = ANY($1::uuid[]) OR i.name = ANY($2::text[]) OR p."networkId" = ANY($3::uuid[])
           OR p."projectId" = ANY($5::text[])
           OR p.id IN (SELECT "portId" FROM "IpAllocation" WHERE "subnetId" = ANY($4::uuid[]) OR "ipAddress"::inet <<= ANY($6::cidr[])))
     )
     SELECT json_build_object(
       'ports', COALESCE((SELECT json_agg(json_build_object(
           'portId', vm.id, 'projectId', vm."projectId", 'networkId', vm."networkId", 'instanceId', vm."instanceId", 'instanceName', vm."instanceName",
           'fixedIps', COALESCE((SELECT json_agg(json_build_object('subnetId', a."subnetId", 'ipAddress', a."ipAddress") ORDER BY a."ipAddress")
                                   FROM "IpAllocation" a WHERE a."portId" = vm.id), '[]'::json)) ORDER BY vm.id) FROM vm), '[]'::json),
       'held', COALESCE((SELECT json_agg(c) FROM unnest($7::text[]) c WHERE EXISTS (SELECT 1 FROM "Subnet" s WHERE c::inet <<= s.cidr::cidr)), '[]'::json)
     ) AS snapshot`,
    lower(named),
    named,
    lower(of('NETWORK').map((s) => s.networkId)),
    lower(of('SUBNET').map((s) => s.subnetId)),
    of('PROJECT').map((s) => s.projectId),
    of('CIDR').map((s) => s.cidr),
    [...INTERNET_CANDIDATES],
  );
  return { ports: snapshot.ports, heldInternetCandidates: snapshot.held };
}
