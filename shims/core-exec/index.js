// @actions/core imports @actions/exec for core.platform.getDetails() alone (it runs lsb_release,
// sw_vers or PowerShell). This action never asks; if it ever does, this says so instead of
// failing obscurely.
function unavailable() {
  throw new Error(
    'core.platform.getDetails is not available in this action: @actions/core gets a stand-in @actions/exec (see shims/core-exec).',
  );
}

export const exec = unavailable;
export const getExecOutput = unavailable;
