"""Answers questions about proxies and client settings the way botocore (and the urllib it uses)
answers them.

Reads JSON from stdin: a list of cases, each one of
    {"kind": "bypass", "noProxy": str, "netloc": str}
        -> {"bypass": bool}: urllib's proxy_bypass_environment, which botocore's
           should_bypass_proxies calls with the URL's netloc;
    {"kind": "environ", "environment": {name: value}}
        -> {"proxies": {scheme: url}}: urllib's getproxies_environment;
    {"kind": "proxyURL", "url": str}
        -> {"host", "port", "authorization"}: the proxy botocore connects to for an https URL
           and the Proxy-Authorization header it sends (null when none);
    {"kind": "settings", "environment": {name: value}, "config": str or null, "profile": str or null}
        -> {"ca_bundle", "max_attempts", "retry_mode"}: what a botocore session resolves, with
           `config` as the shared config file;
    {"kind": "provider", "environment": {name: value}, "profile": str or null}
        -> {"method": str or null}: which of botocore's credential providers answers
           (`env`, `assume-role`, `assume-role-with-web-identity`, `shared-credentials-file`,
           `custom-process`, `config-file`…); roles are not assumed (botocore defers that);
    {"kind": "endpoint", "environment": {name: value}, "config": str, "profile": str or null,
     "service": str, "region": str}
        -> {"url": str} or {"error": str}: the endpoint a botocore client of `service` calls,
           with `config` as the shared config file;
    {"kind": "ssoToken", "environment": {name: value}, "profile": str}
        -> {"token": str} or {"error": str}: the access token botocore's SSOTokenProvider takes
           from the cache under $HOME/.aws/sso/cache (it would refresh one expiring within 15
           minutes; the tests ask about fresh ones, so no request is made);
and prints a JSON list with one result per case.
"""

import json
import os
import sys
import tempfile

try:
    import urllib.request
    import botocore.session
    from botocore.httpsession import ProxyConfiguration
    from urllib3.util import parse_url
except ImportError as error:
    sys.stderr.write(f"botocore is not importable ({error}); install it with: pip install botocore\n")
    sys.exit(3)


def with_environment(environment, action):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    try:
        return action()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def settings(case):
    environment = {name: value for name, value in case["environment"].items()}
    directory = tempfile.mkdtemp()
    config = os.path.join(directory, "config")
    with open(config, "w") as handle:
        handle.write(case.get("config") or "")
    environment["AWS_CONFIG_FILE"] = config
    environment["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(directory, "none")

    def resolve():
        session = botocore.session.Session(profile=case.get("profile"))
        return {
            "ca_bundle": session.get_config_variable("ca_bundle"),
            "max_attempts": session.get_config_variable("max_attempts"),
            "retry_mode": session.get_config_variable("retry_mode"),
        }

    return with_environment(environment, resolve)


def endpoint(case):
    environment = dict(case["environment"])
    directory = tempfile.mkdtemp()
    config = os.path.join(directory, "config")
    with open(config, "w") as handle:
        handle.write(case["config"])
    environment["AWS_CONFIG_FILE"] = config
    environment["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(directory, "none")

    def resolve():
        session = botocore.session.Session(profile=case.get("profile"))
        try:
            client = session.create_client(
                case["service"], region_name=case["region"],
                aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
        except Exception as error:  # botocore's InvalidConfigError and the like
            return {"error": type(error).__name__}
        return {"url": client.meta.endpoint_url.rstrip("/")}

    return with_environment(environment, resolve)


def sso_token(case):
    from botocore.tokens import SSOTokenProvider, _sso_json_dumps
    from botocore.utils import JSONFileCache

    def resolve():
        session = botocore.session.Session(profile=case["profile"])
        cache = JSONFileCache(os.path.join(os.environ["HOME"], ".aws", "sso", "cache"), dumps_func=_sso_json_dumps)
        try:
            token = SSOTokenProvider(session, cache=cache, profile_name=case["profile"]).load_token()
            return {"token": token.get_frozen_token().token}
        except Exception as error:
            return {"error": f"{type(error).__name__}: {error}"}

    return with_environment(case["environment"], resolve)


def main():
    results = []
    for case in json.load(sys.stdin):
        kind = case["kind"]
        if kind == "bypass":
            bypass = urllib.request.proxy_bypass_environment(case["netloc"], {"no": case["noProxy"]})
            results.append({"bypass": bool(bypass)})
        elif kind == "environ":
            proxies = with_environment(case["environment"], urllib.request.getproxies_environment)
            results.append({"proxies": proxies})
        elif kind == "proxyURL":
            configuration = ProxyConfiguration(proxies={"https": case["url"]})
            fixed = configuration.proxy_url_for("https://cognito-sync.us-east-1.amazonaws.com/")
            parsed = parse_url(fixed)
            headers = configuration.proxy_headers_for(fixed)
            results.append({
                "host": parsed.host,
                "port": parsed.port or 80,
                "authorization": headers.get("Proxy-Authorization"),
            })
        elif kind == "settings":
            results.append(settings(case))
        elif kind == "ssoToken":
            results.append(sso_token(case))
        elif kind == "endpoint":
            results.append(endpoint(case))
        elif kind == "provider":
            def method():
                credentials = botocore.session.Session(profile=case.get("profile")).get_credentials()
                return credentials.method if credentials else None
            results.append({"method": with_environment(case["environment"], method)})
        else:
            raise ValueError(f"unknown kind {kind}")
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
