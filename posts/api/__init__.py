"""The posts API under /api/v1/: views in `views`, output shapes in `serializers`."""
