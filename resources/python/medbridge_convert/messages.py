"""The converter talks to MedBridge in JSON lines on stdout: progress, then done or error."""
import json
import sys


class ConvertError(Exception):
    def __init__(self, code, message, file=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.file = file


def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}, sort_keys=True) + "\n")
    sys.stdout.flush()


def progress(stage, done, total):
    emit("progress", stage=stage, done=done, total=total)
