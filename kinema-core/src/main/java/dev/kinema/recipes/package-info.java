/**
 * Recipes: the jobs the {@code kinema} commands run, as library classes that return typed results,
 * so a program, a test, the service or a Spark job runs them without the CLI. {@link
 * dev.kinema.recipes.ModelSource} builds a registry model with pretrained weights; {@link
 * dev.kinema.recipes.Import} turns weights and a model card into a run directory; {@link
 * dev.kinema.recipes.Compare} trains several models with one recipe and tabulates them; {@link
 * dev.kinema.recipes.Fuse} fuses two trained streams into a two-stream run; {@link
 * dev.kinema.recipes.Demo} is {@code kinema demo}'s steps. The commands parse options, call these
 * and print.
 */
package dev.kinema.recipes;
