"""Parses rest-json error responses with botocore's own parser and prints what it found.

Reads JSON from stdin: a list of {"status": int, "headers": [[name, value], ...], "body": str}
and prints a JSON list of {"code", "message", "requestID"} as botocore's RestJSONParser reports
them for Cognito Sync's GetBulkPublishDetails (the same path a real client takes).
"""

import json
import os
import sys

for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]

try:
    import botocore.session
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser
except ImportError as error:
    sys.stderr.write(f"botocore is not importable ({error}); install it with: pip install botocore\n")
    sys.exit(3)


def main():
    model = botocore.session.get_session().get_service_model("cognito-sync")
    operation = model.operation_model("GetBulkPublishDetails")
    parser = create_parser(model.metadata["protocol"])
    results = []
    for case in json.load(sys.stdin):
        headers = HeadersDict()
        for name, value in case["headers"]:
            headers[name] = value
        response = {
            "status_code": case["status"],
            "headers": headers,
            "body": case["body"].encode("utf-8"),
            "context": {"operation_name": operation.name},
        }
        parsed = parser.parse(response, operation.output_shape)
        error = parsed.get("Error", {})
        results.append(
            {
                "code": error.get("Code"),
                "message": error.get("Message"),
                "requestID": parsed.get("ResponseMetadata", {}).get("RequestId"),
            }
        )
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
