"""novalite: a small, fast, OpenStack-Compute-compatible cloud controller."""

import warnings

# oslo.messaging imports eventlet for its optional executor; we never use it.
warnings.filterwarnings("ignore", message=r"(?s).*[Ee]ventlet")
