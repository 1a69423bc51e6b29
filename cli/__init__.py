"""The composition root: wires the kernel (havn/), the services, the gateway and the web client
into a running stack (`havn run`, the in-process stack of tests and benchmarks), and seeds it.

Only this package (and tests/, bench/) may import the applications; havn/ never does
(tests/architecture/test_kernel_imports.py).
"""
