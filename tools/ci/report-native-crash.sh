#!/usr/bin/env bash
# Run by a crashing test JVM (-XX:OnError in the surefire argLine, see the parent pom) after it has
# written its hs_err file: prints one line naming the test that was running (recorded by
# dev.kinema.testing.RunningTestRecorder) and the hs_err "Problematic frame", on Maven's own stderr
# (surefire hides a fork's output in a dump file), and appends it to DIR/native-crashes.txt.
# Usage: report-native-crash.sh PID DIR [--console]  (--console: also on the console of the Maven above)
pid="$1"
dir="$2"
test_name="$(cat "$dir/running-test-$pid.txt" 2>/dev/null || echo 'an unknown test')"
frame="$(grep -A1 '^# Problematic frame:' "$dir/hs_err_pid$pid.log" 2>/dev/null | tail -1 | sed 's/^# *//')"
line="NATIVE CRASH in $test_name: ${frame:-no frame recorded} (hs_err: $dir/hs_err_pid$pid.log)"
echo "$line" >> "$dir/native-crashes.txt"
# Maven is the nearest ancestor running plexus-classworlds; write where its console output goes.
[ "${3:-}" = "--console" ] || exit 0
p="$pid"
while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
  p="$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)"
  if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q 'plexus.classworlds'; then
    echo "[ERROR] $line" > "/proc/$p/fd/2" 2>/dev/null
    break
  fi
done
