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
# The build of the backend bin/pneumo set up (tools/setup.sh's build_dir): PNEUMO_BACKEND when the
# notebook server has it (bin/pneumo run/lab/notebooks pass theirs on), else the backend of the
# setup that wrote this kernelspec. Never the other build quietly.
backend="${PNEUMO_BACKEND:-@PNEUMO_BACKEND@}"
case "$backend" in
  cuda) build=target-cuda ;;
  cpu|@PNEUMO_BACKEND@) backend=cpu; build=target ;;
  *) echo "pneumonia lab kernel: unknown PNEUMO_BACKEND '$backend' (cpu or cuda)" >&2; exit 1 ;;
esac
kdir="$home/lib/$build/kernel"
if [ ! -f "$kdir/java.args" ] || [ ! -f "$kdir/env" ]; then
  echo "pneumonia lab kernel: $home is not set up for backend $backend ($kdir is missing);" \
    "run PNEUMO_BACKEND=$backend $home/bin/pneumo setup there first" >&2
  exit 1
fi
. "$kdir/env"
exec "$PNEUMO_JAVA" "-Dpneumolab.backend=$backend" "@$kdir/java.args" org.pneumolab.notebook.LabKernel "$conn"
