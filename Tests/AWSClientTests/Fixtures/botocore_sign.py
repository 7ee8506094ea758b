"""Signs GetBulkPublishDetails requests with a real botocore client and prints what it would send.

Reads JSON from stdin: a list of cases, each
    {"poolID": str, "region": str, "timestamp": "YYYYMMDDTHHMMSSZ",
     "sessionToken": str or null, "useFIPS": bool, "useDualStack": bool}
and prints a JSON list with, per case, {"url", "method", "headers": [[name, value], ...], "body"}
as captured by a `before-send` handler, i.e. after serialisation and signing, right before the
HTTP layer. Nothing leaves the machine: the handler answers with a canned response.

The secret key is fixed (it is a test value); the access key id is AKIDEXAMPLE.
"""

import datetime
import json
import os
import sys

# The process environment must not steer the oracle (AWS_ENDPOINT_URL, profiles, IMDS).
for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

try:
    import botocore.auth
    import botocore.session
    from botocore.awsrequest import AWSResponse
    from botocore.config import Config
except ImportError as error:
    sys.stderr.write(f"botocore is not importable ({error}); install it with: pip install botocore\n")
    sys.exit(3)

SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


class _EmptyBody:
    def stream(self, **kwargs):
        yield b"{}"


def sign(case):
    moment = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda *args, **kwargs: moment
    session = botocore.session.get_session()
    client = session.create_client(
        "cognito-sync",
        region_name=case["region"],
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET_ACCESS_KEY,
        aws_session_token=case.get("sessionToken"),
        config=Config(
            use_fips_endpoint=case.get("useFIPS", False),
            use_dualstack_endpoint=case.get("useDualStack", False),
            retries={"max_attempts": 1},
        ),
    )
    captured = {}

    def before_send(request, **kwargs):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        captured["url"] = request.url
        captured["method"] = request.method
        captured["headers"] = [
            [name, value.decode("utf-8") if isinstance(value, bytes) else value]
            for name, value in request.headers.items()
        ]
        captured["body"] = body.decode("utf-8")
        return AWSResponse(request.url, 200, {}, _EmptyBody())

    client.meta.events.register("before-send", before_send)
    client.get_bulk_publish_details(IdentityPoolId=case["poolID"])
    return captured


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
