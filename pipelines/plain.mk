# plain.mk — included by demo.mk, desynpuf.mk and cclf.mk, whose recipes name their
# files in make's own text: a value that reaches such a recipe must be
# plain — letters, digits and . _ / + - only — or make stops before any
# recipe runs, naming the variable. (reconcile.mk takes any value: it
# passes them through the environment.)
#
#   $(call vbr_plain,NAME ...)     each variable's value, as given
#   $(call vbr_plain_list,NAME)    the same, words separated by spaces

VBR_PLAIN_CHARS := a b c d e f g h i j k l m n o p q r s t u v w x y z \
                   A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
                   0 1 2 3 4 5 6 7 8 9 . _ / + -
# a value given on the command line or in the environment, as written; a
# default of the including file, expanded
vbr_raw = $(if $(filter file,$(origin $(1))),$($(1)),$(value $(1)))
# the text without any plain character
vbr_unplain = $(if $(2),$(call vbr_unplain,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
vbr_plain_error = $(error $(1): '$(call vbr_raw,$(1))' holds a character other than letters, digits and . _ / + -; such a value would reach a shell in a recipe)
vbr_plain = $(foreach v,$(1),$(if $(or $(filter-out 0 1,$(words $(call vbr_raw,$(v)))),$(strip $(call vbr_unplain,$(call vbr_raw,$(v)),$(VBR_PLAIN_CHARS)))),$(call vbr_plain_error,$(v))))
vbr_plain_list = $(foreach v,$(1),$(if $(strip $(call vbr_unplain,$(call vbr_raw,$(v)),$(VBR_PLAIN_CHARS))),$(call vbr_plain_error,$(v))))
