# SCAFFOLD (helper N replaces this file entirely)
def register():
    pass
