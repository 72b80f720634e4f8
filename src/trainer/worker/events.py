# Line-delimited JSON events on stdout, the worker's only channel to the service
# (started, step, eval, checkpoint, done, failed); everything else goes to stderr.
import json
import sys


def emit(event, **fields):
    """Writes one event as a single JSON line and flushes, so the service sees it at once."""
    sys.stdout.write(json.dumps({'event': event, **fields}, separators=(',', ':')) + '\n')
    sys.stdout.flush()
