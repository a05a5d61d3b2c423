"""The local stack: `radiant up` starts every service and the demo provider as separate processes on loopback."""
