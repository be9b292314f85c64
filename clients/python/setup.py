"""Generates the gRPC stubs from ../../proto while building, so they are never committed."""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithStubs(build_py):
    def run(self):
        from generate_stubs import generate
        generate()
        super().run()


setup(cmdclass={"build_py": BuildWithStubs})
