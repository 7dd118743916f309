#!/bin/sh
# Starts Chromium in a new, empty network namespace (one loopback interface, down): whatever Chromium tries, the
# kernel has no route to any other machine. Used by electron/reports/pdf-printer.ts on Linux when unshare is allowed.
#   MEDBRIDGE_CHROMIUM_BINARY  the Chromium to run
#   MEDBRIDGE_UNSHARE_USER=1   also make a user namespace mapping the current user (needed when not root)
if [ "$MEDBRIDGE_UNSHARE_USER" = 1 ]; then
  exec unshare --net --map-current-user -- "$MEDBRIDGE_CHROMIUM_BINARY" "$@"
fi
exec unshare --net -- "$MEDBRIDGE_CHROMIUM_BINARY" "$@"
