# Jupyter Notebook settings that `bin/pneumo lab` passes with --config.
#
# Committed notebooks carry no outputs or per-machine metadata: git's clean filter
# (tools/nbclean.py, installed by bin/pneumo) drops them. git status, though, calls a file
# modified as soon as its size changes, without running the filter. So after Jupyter saves a
# notebook whose only changes are ones the filter drops (outputs, execution counts, kernel
# version), this hook refreshes that file's index entry: git then sees it as unchanged again. A
# notebook with real edits is left alone (git diff names it as usual).
import os
import subprocess


def refresh_git_index(model, os_path, contents_manager, **kwargs):
    if model.get("type") != "notebook":
        return
    folder = os.path.dirname(os_path)
    try:
        same = subprocess.run(["git", "-C", folder, "diff", "--quiet", "--", os_path],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30).returncode == 0
        if same:
            subprocess.run(["git", "-C", folder, "update-index", "-q", "--", os_path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.SubprocessError):
        pass  # no git, not a checkout: nothing to refresh


c = get_config()  # noqa: F821 (Jupyter's config loader defines it)
c.FileContentsManager.post_save_hook = refresh_git_index
