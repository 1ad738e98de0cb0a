"""Reproducible randomness for the sample city.

Every part of the city draws from its own stream, named after the part
("street_lights", "buildings", ...), so changing how one part is generated does
not shift the numbers any other part gets. Streams are seeded with a string,
which Python hashes with SHA-512: the same seed gives the same city on every
machine and in every process (unlike ``hash()``).
"""

import random
import uuid

# Namespace of the sample city's stable keys (uuid5); fixed forever.
SAMPLE_CITY_NAMESPACE = uuid.UUID("3b0c5f7e-2a61-5d4e-9c1a-8e2f6d0b2601")


def stream(seed, part):
    """A ``random.Random`` for one part of the city."""
    return random.Random("herne-sample-city:{}:{}".format(seed, part))


def stable_uuid(seed, *key):
    """A UUID that depends only on the seed and the key (e.g. a light's number)."""
    return str(uuid.uuid5(SAMPLE_CITY_NAMESPACE, "{}:{}".format(seed, ":".join(str(k) for k in key))))


def hex_id(rng, digits):
    """``digits`` upper-case hex digits drawn from ``rng``."""
    return "{:0{}X}".format(rng.getrandbits(4 * digits), digits)
