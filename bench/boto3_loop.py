#!/usr/bin/env python3
"""One boto3 client per region polling GetBulkPublishDetails over a list of pools, for the
benchmark: prints the CPU time the loop took, as JSON. Keys come from the environment."""

import argparse
import json
import resource
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--pools", required=True, help="a file with one pool id a line")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--ca-bundle", help="the CA to trust for an https endpoint (verify=)")
    args = parser.parse_args()
    with open(args.pools) as handle:
        pools = [line.strip() for line in handle if line.strip()]

    session = boto3.session.Session()
    config = Config(retries={"mode": "standard"})
    regions = sorted({pool.split(":")[0] for pool in pools})
    clients = {region: session.client("cognito-sync", region_name=region, endpoint_url=args.endpoint, config=config,
                                      verify=args.ca_bundle if args.ca_bundle else None)
               for region in regions}

    errors = {}
    started_cpu, started_wall = cpu(), time.monotonic()
    for index in range(args.count):
        pool = pools[index % len(pools)]
        try:
            clients[pool.split(":")[0]].get_bulk_publish_details(IdentityPoolId=pool)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "?")
            errors[code] = errors.get(code, 0) + 1
    loop_cpu, loop_wall = cpu() - started_cpu, time.monotonic() - started_wall
    print(json.dumps({"requests": args.count, "loop_cpu_seconds": loop_cpu, "loop_wall_seconds": loop_wall,
                      "process_cpu_seconds": cpu(), "errors": errors}))


if __name__ == "__main__":
    main()
