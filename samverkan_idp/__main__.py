"""python -m samverkan_idp --port 8100 [--identities FILE] [--clients FILE|JSON]."""

import argparse
import os
import sys


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="samverkan_idp", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("IDP_PORT", "8100")))
    parser.add_argument("--home", default=os.environ.get("IDP_HOME", ""))
    parser.add_argument("--identities", default=os.environ.get("IDP_IDENTITIES", ""))
    parser.add_argument("--clients", default=os.environ.get("IDP_CLIENTS", ""))
    args = parser.parse_args(argv)
    os.environ["IDP_PORT"] = str(args.port)
    if args.home:
        os.environ["IDP_HOME"] = args.home
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan_idp.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from .setup import prepare

    prepare(args.identities, args.clients)
    print(f"IdP: http://127.0.0.1:{args.port}/o/.well-known/openid-configuration", flush=True)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    sys.exit(main())
