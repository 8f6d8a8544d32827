#!/bin/sh
# Starts the pneumonia lab's Java kernel (installed by bin/pneumo into each kernelspec it writes).
# The kernel is the one of the checkout that holds the notebook: Jupyter starts a kernel in the
# notebook's folder, so the nearest folder above it with bin/pneumo is that checkout. A notebook
# outside any checkout gets the checkout that wrote this kernelspec.
conn="$1"
home=""
dir="$(pwd -P)"
while :; do
  if [ -f "$dir/bin/pneumo" ] && [ -f "$dir/tools/kernel/launch.sh" ]; then home="$dir"; break; fi
  [ "$dir" = / ] && break
  dir="$(dirname "$dir")"
done
[ -n "$home" ] || home='@PNEUMO_FALLBACK_HOME@'
if [ ! -f "$home/lib/target/kernel/java.args" ] || [ ! -f "$home/lib/target/kernel/env" ]; then
  echo "pneumonia lab kernel: $home is not set up; run $home/bin/pneumo setup there first" >&2
  exit 1
fi
. "$home/lib/target/kernel/env"
exec "$PNEUMO_JAVA" "@$home/lib/target/kernel/java.args" org.pneumolab.notebook.LabKernel "$conn"
