"""Pipelines that do more than chain their steps.

:class:`VirtualSupportVectorPipeline` refits a pipeline from images to a
support vector machine on its support vectors and distorted copies of them.
"""

from ._virtual_support import VirtualSupportVectorPipeline

__all__ = ["VirtualSupportVectorPipeline"]
