"""The `workbench` command line. Subcommands:

    workbench serve model.keras [--host 127.0.0.1] [--port 8000] [--max-batch-size 32]
                                [--batch-timeout-ms 5] [--no-warmup]

A new subcommand adds a parser in `build_parser` and a `run_*` function returning the exit code.
"""

import argparse
import os
import sys


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, received {text}")
    return value


def _non_negative_float(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, received {text}")
    return value


def _port(text):
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, received {text}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(prog="workbench", description="workbench tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve", help="serve a .keras model over HTTP",
        description="Serve a .keras model over HTTP: POST /v1/predict, GET /v1/metadata, "
                    "GET /v1/stats, GET /healthz. Concurrent requests are batched together.")
    serve.add_argument("model", help="path to a .keras file")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--max-batch-size", type=_positive_int, default=32,
                       help="the most rows run in one batch, and per request (default 32)")
    serve.add_argument("--batch-timeout-ms", type=_non_negative_float, default=5.0,
                       help="how long a request waits for others to join its batch (default 5)")
    serve.add_argument("--no-warmup", action="store_true",
                       help="compile batch sizes on first use instead of at startup")
    serve.add_argument("--log-level", default="info",
                       choices=["critical", "error", "warning", "info", "debug"])
    return parser


def _fail(message):
    print(f"workbench: error: {message}", file=sys.stderr)
    return 1


def run_serve(args):
    """Loads the model, builds the app and runs uvicorn until interrupted."""
    if not os.path.isfile(args.model):
        return _fail(f"model file '{args.model}' does not exist (expected a .keras file).")
    try:
        import uvicorn

        from workbench.export.serve import create_app
        from workbench.saving import load_model

        model = load_model(args.model, compile=False)
    except ImportError as error:
        message = str(error)
        if "workbench[serve]" not in message:
            message += ". Serving needs the serve extra: `pip install workbench[serve]`."
        return _fail(message)
    except Exception as error:  # a broken or foreign file: say so without a traceback
        return _fail(f"could not load '{args.model}' as a .keras model: "
                     f"{type(error).__name__}: {error}")
    try:
        app = create_app(model, max_batch_size=args.max_batch_size,
                         batch_timeout_ms=args.batch_timeout_ms, warmup=not args.no_warmup)
    except (ValueError, TypeError) as error:
        return _fail(str(error))
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def main(argv=None):
    """Entry point of the `workbench` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    return {"serve": run_serve}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
